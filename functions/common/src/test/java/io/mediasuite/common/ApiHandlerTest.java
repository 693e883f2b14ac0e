package io.mediasuite.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class ApiHandlerTest {

    private static final String EVENT = """
            {"resource":"/things/{id}","path":"/things/42","httpMethod":"GET",
             "headers":{"Accept":"application/json","X-Trace":"abc"},
             "pathParameters":{"id":"42"},"body":null,"isBase64Encoded":false,
             "requestContext":{"requestId":"r-1","stage":"dev","identity":{"sourceIp":"203.0.113.9"}}}""";

    @Test
    void handleRequest_shouldReadTheProxyEvent_whenGivenApiGatewaysWireFormat() throws Exception {
        // given
        ApiHandler handler = handler(request -> ApiResponses.json(200, Map.of(
                "id", HttpRequests.pathParameter(request, "id").orElseThrow(),
                "trace", HttpRequests.header(request, "x-trace").orElseThrow())));

        // when
        JsonNode response = invoke(handler, EVENT);

        // then
        assertEquals(200, response.get("statusCode").asInt());
        JsonNode body = Json.MAPPER.readTree(response.get("body").asText());
        assertEquals("42", body.get("id").asText());
        assertEquals("abc", body.get("trace").asText());
    }

    @Test
    void handleRequest_shouldAnswerWithFieldErrors_whenValidationFails() throws Exception {
        // given
        ApiHandler handler = handler(request -> {
            throw ApiException.invalid(List.of(new ApiException.FieldError("location.lat", "must be between -90 and 90")));
        });

        // when
        JsonNode response = invoke(handler, EVENT);

        // then
        assertEquals(400, response.get("statusCode").asInt());
        JsonNode error = Json.MAPPER.readTree(response.get("body").asText()).get("error");
        assertEquals("bad_request", error.get("code").asText());
        assertEquals("location.lat", error.get("fields").get(0).get("field").asText());
    }

    @Test
    void handleRequest_shouldHideTheInternalMessage_whenTheHandlerFailsUnexpectedly() throws Exception {
        // given
        ApiHandler handler = handler(request -> {
            throw new IllegalStateException("secret table name devices-prod-1234 is gone");
        });

        // when
        JsonNode response = invoke(handler, EVENT);

        // then
        assertEquals(500, response.get("statusCode").asInt());
        String body = response.get("body").asText();
        assertFalse(body.contains("secret"), body);
        assertTrue(body.contains("Internal error."), body);
    }

    @Test
    void handleRequest_shouldAnswer503_whenAwsThrottles() throws Exception {
        // given
        ApiHandler handler = handler(request -> {
            throw AwsServiceException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        });

        // when
        JsonNode response = invoke(handler, EVENT);

        // then
        assertEquals(503, response.get("statusCode").asInt());
    }

    @Test
    void handleRequest_shouldAnswer400_whenTheEventIsNotJson() throws Exception {
        // given
        ApiHandler handler = handler(request -> ApiResponses.json(200, Map.of()));

        // when
        JsonNode response = invoke(handler, "not json");

        // then
        assertEquals(400, response.get("statusCode").asInt());
    }

    private static ApiHandler handler(Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> body) {
        return new ApiHandler() {
            @Override
            protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
                return body.apply(request);
            }
        };
    }

    private static JsonNode invoke(ApiHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }
}
