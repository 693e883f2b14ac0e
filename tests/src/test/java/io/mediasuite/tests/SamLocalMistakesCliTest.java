package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.emulator.DynamoDbLocal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A user's mistakes, made through the runner's command line: each must end in one line on stderr, prefixed
 * {@code sam-local: }, a non-zero exit and no process left behind; never a stack trace.
 */
class SamLocalMistakesCliTest {

    private static final String TEMPLATE = Project.ROOT.resolve("template.yaml").toString();

    @Test
    void cli_shouldAnswerEachMistakeWithOneLineAndANonZeroExit_beforeStartingAnything(@TempDir Path dir)
            throws Exception {
        // given one fixture per mistake, and a port something else listens on
        Path event = Project.events("DeviceApiFunction").getFirst().toAbsolutePath();
        Path notJson = Files.writeString(dir.resolve("not-json.json"), "{\"path\": \"/devices/x\",");
        Path envVarsNotObjects = Files.writeString(dir.resolve("env.json"), "{\"Parameters\": \"STAGE=dev\"}");
        Path brokenYaml = Files.writeString(dir.resolve("template.yaml"),
                Files.readString(Path.of(TEMPLATE)).replaceFirst("Resources:", "Resources: [oops"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            Map<List<String>, String> mistakes = new LinkedHashMap<>();
            mistakes.put(List.of("invoke", "NoSuchFunction", "-e", event.toString(), "-t", TEMPLATE),
                    "sam-local: no function NoSuchFunction in the template; functions: DeviceApiFunction");
            mistakes.put(List.of("invoke", "DeviceApiFunction", "-e", dir.resolve("missing.json").toString(),
                    "-t", TEMPLATE), "sam-local: no event file at ");
            mistakes.put(List.of("invoke", "DeviceApiFunction", "-e", notJson.toString(), "-t", TEMPLATE),
                    "sam-local: event file " + notJson + " is not JSON: ");
            mistakes.put(List.of("start-api", "--env-vars", envVarsNotObjects.toString(), "-t", TEMPLATE),
                    "sam-local: env-vars file " + envVarsNotObjects + ": \"Parameters\" must be an object");
            mistakes.put(List.of("start-api", "--env-vars", notJson.toString(), "-t", TEMPLATE),
                    "sam-local: env-vars file " + notJson + " is not JSON: ");
            mistakes.put(List.of("invoke", "DeviceApiFunction", "-e", event.toString(), "-t", brokenYaml.toString()),
                    "sam-local: template " + brokenYaml + " is not valid YAML: ");
            mistakes.put(List.of("start-api", "-t", dir.resolve("nowhere.yaml").toString()),
                    "sam-local: no template at " + dir.resolve("nowhere.yaml"));
            mistakes.put(List.of("start-api", "--port", "0", "--api-port", port, "-t", TEMPLATE),
                    "sam-local: port " + port + " on 127.0.0.1 is already in use (wanted for DeviceApi)");
            mistakes.put(List.of("start-lambda", "--port", port, "-t", TEMPLATE),
                    "sam-local: port " + port + " on 127.0.0.1 is already in use (wanted for the Lambda Invoke API)");
            mistakes.put(List.of("start-api", "--port", "http"), "sam-local: --port takes a port number");

            for (Map.Entry<List<String>, String> mistake : mistakes.entrySet()) {
                // when
                SamLocalProcess.Result result;
                List<String> survivors;
                try (SamLocalProcess run = SamLocalProcess.start(dir, mistake.getKey(), Map.of())) {
                    result = run.await(Duration.ofMinutes(1));
                    survivors = run.survivors(Duration.ofSeconds(5));
                }

                // then
                String what = String.join(" ", mistake.getKey()) + " -> " + result.stderr();
                assertNotEquals(0, result.exit(), what);
                assertEquals(1, result.errorLines().size(), what);
                assertTrue(result.errorLines().getFirst().startsWith(mistake.getValue()), what);
                assertEquals("", result.stdout(), what);
                assertEquals(List.of(), survivors, what);
            }
        }
    }

    @Test
    void invoke_shouldNameTheTableInOneLineAndStopTheEmulatorItStarted_whenAnEarlierRunLeftAnotherKeySchema(
            @TempDir Path dir) throws Exception {
        // given a DynamoDB Local the user keeps running, holding the stack's devices table with another key
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.start(Project.ROOT, dir);
             DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                     .endpointOverride(dynamoDb.endpoint()).build()) {
            client.createTable(b -> b.tableName("conflict-DevicesTable").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            List<String> args = new ArrayList<>(List.of("invoke", "DeviceApiFunction", "-e",
                    Project.events("DeviceApiFunction").getFirst().toAbsolutePath().toString(),
                    "--stack-name", "conflict", "-t", TEMPLATE));

            // when: moto is started by the runner, DynamoDB is the user's
            SamLocalProcess.Result result;
            List<String> survivors;
            boolean startedMoto;
            try (SamLocalProcess run = SamLocalProcess.start(dir, args,
                    Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString()))) {
                result = run.await(Duration.ofMinutes(2));
                startedMoto = run.started("moto_server");
                survivors = run.survivors(Duration.ofSeconds(10));
            }

            // then: one line says which table and what to do; the moto it started is gone
            List<String> errors = result.errorLines().stream().filter(line -> line.startsWith("sam-local: table"))
                    .toList();
            assertEquals(1, result.exit(), result.stderr());
            assertEquals(List.of("sam-local: table conflict-DevicesTable exists with key schema [id HASH S] where the "
                    + "template declares [deviceId HASH S]: delete table conflict-DevicesTable or use --stack-name"),
                    errors, result.stderr());
            assertEquals(errors.getFirst(), result.errorLines().getLast());
            assertFalse(result.stderr().contains("\tat "), result.stderr());
            assertTrue(startedMoto, "the runner started moto itself");
            assertEquals(List.of(), survivors);
        }
    }
}
