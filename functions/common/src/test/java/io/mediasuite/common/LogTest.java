package io.mediasuite.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {

    private final PrintStream original = System.out;

    @AfterEach
    void restore() {
        System.setOut(original);
        Log.configure(Env.of(Map.of()));
    }

    @Test
    void info_shouldTagTheLineWithTheFunctionVersion_whenLambdaSetsIt() throws Exception {
        // given: the version the deployment alarms count 5xx answers by
        Log.configure(Env.of(Map.of("AWS_LAMBDA_FUNCTION_VERSION", "7")));
        ByteArrayOutputStream out = capture();

        // when
        Log.info("request failed", "status", 500);

        // then
        JsonNode line = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("7", line.path("functionVersion").asText());
        assertEquals(500, line.path("status").asInt());
    }

    @Test
    void info_shouldLeaveTheVersionOut_whenNoneIsSet() throws Exception {
        // given
        Log.configure(Env.of(Map.of()));
        ByteArrayOutputStream out = capture();

        // when
        Log.info("plain");

        // then
        assertFalse(Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8)).has("functionVersion"));
    }

    private ByteArrayOutputStream capture() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out;
    }
}
