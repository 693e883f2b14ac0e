package io.mediasuite.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnapStartTest {

    @Test
    void primeNow_shouldWarmEveryHandlersJsonWithoutError_whenHandlersWereConstructed() {
        // given handlers built as Lambda's init builds them (which registers their priming)
        new ApiHandler() {
            @Override
            protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
                return ApiResponses.json(200, "ok");
            }
        };
        new EventHandler<SQSEvent, Void>(SQSEvent.class) {
            @Override
            protected Void handle(SQSEvent event, Context context) {
                return null;
            }
        };
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));

        // when: what the runtime does just before the snapshot
        int primed;
        try {
            primed = SnapStart.primeNow();
        } finally {
            System.setOut(original);
        }

        // then: no priming failed (failures are logged as ERROR, never thrown)
        assertTrue(primed >= 2, "primed " + primed);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("\"level\":\"ERROR\""), out.toString(StandardCharsets.UTF_8));
    }
}
