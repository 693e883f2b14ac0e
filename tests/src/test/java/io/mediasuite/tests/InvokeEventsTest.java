package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.FunctionSpec;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import io.mediasuite.local.openapi.ApiDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in events/ invoked against the function its folder names, exactly as
 * {@code sam-local invoke <LogicalId> -e events/<LogicalId>/<file>} does: packaged artifact, template
 * environment, resources created from template.yaml in the emulators. An API function's answer must also be one
 * its API's OpenAPI document describes.
 */
class InvokeEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, LocalLambda> FUNCTIONS = new LinkedHashMap<>();

    @AfterAll
    static void closeFunctions() {
        FUNCTIONS.values().forEach(LocalLambda::close);
    }

    @Test
    void events_shouldBelongToTemplateFunctions_whenListed() {
        // given
        List<String> functions = LocalCloud.shared().functionIds();

        // when
        List<String> folders = Project.eventFolders();

        // then every folder names a function, and every function has at least one sample event
        for (String folder : folders) {
            assertTrue(functions.contains(folder), "events/" + folder + " names no function of template.yaml");
        }
        for (String function : functions) {
            assertFalse(Project.events(function).isEmpty(), "no sample event in events/" + function + "/");
        }
    }

    @TestFactory
    Stream<DynamicTest> invoke_shouldSucceed_whenGivenEachSampleEvent() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String function : LocalCloud.shared().functionIds()) {
            for (Path event : Project.events(function)) {
                tests.add(dynamicTest(function + " <- " + event.getFileName(), () -> {
                    // given
                    LocalLambda lambda = FUNCTIONS.computeIfAbsent(function,
                            id -> LocalLambda.load(LocalCloud.shared().function(id)));

                    // when
                    byte[] response = lambda.invoke(Files.readAllBytes(event));

                    // then: the handler answered; an API answer is a proper proxy response without a 5xx, and one
                    // its API's document describes
                    if (response.length > 0) {
                        JsonNode body = JSON.readTree(response);
                        if (body.has("statusCode")) {
                            int status = body.get("statusCode").asInt();
                            assertTrue(status >= 200 && status < 500, event + " answered " + status + ": " + body);
                            assertEquals(List.of(), documentProblems(lambda, JSON.readTree(event.toFile()), body),
                                    event.toString());
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Problems of a proxy response against the document of the API whose route the event came through. */
    private static List<String> documentProblems(LocalLambda lambda, JsonNode event, JsonNode response) {
        String method = event.path("httpMethod").asText();
        String resource = event.path("resource").asText();
        for (FunctionSpec.ApiRoute route : lambda.spec().routes()) {
            if (route.definition() != null && route.method().equals(method) && route.path().equals(resource)) {
                ApiDefinition definition = ApiDefinition.load(route.definition());
                String text = response.path("body").asText("");
                byte[] body = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text)
                        : text.getBytes(StandardCharsets.UTF_8);
                String contentType = null;
                for (var header : response.path("headers").properties()) {
                    if (header.getKey().equalsIgnoreCase("Content-Type")) {
                        contentType = header.getValue().asText();
                    }
                }
                return definition.responseProblems(definition.operation(method, resource).orElseThrow(),
                        response.path("statusCode").asInt(), contentType, body);
            }
        }
        return List.of();
    }
}
