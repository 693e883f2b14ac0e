package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalLambda;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * environment, resources created from template.yaml in the emulators.
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

                    // then: the handler answered; an API answer is a proper proxy response without a 5xx
                    if (response.length > 0) {
                        JsonNode body = JSON.readTree(response);
                        if (body.has("statusCode")) {
                            int status = body.get("statusCode").asInt();
                            assertTrue(status >= 200 && status < 500, event + " answered " + status + ": " + body);
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }
}
