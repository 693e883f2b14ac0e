package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The Invoke API server driven by the AWS SDK's own Lambda client, against functions packaged like Lambda
 * artifacts (classes at the root, aws-lambda-java-core in lib/) and compiled here.
 */
class LambdaInvokeServerTest {

    private static final String ECHO = """
            package smoke;
            import com.amazonaws.services.lambda.runtime.*;
            import java.io.*;
            public class Echo implements RequestStreamHandler {
                public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
                    byte[] event = in.readAllBytes();
                    if (new String(event).contains("boom")) {
                        throw new IllegalStateException("asked to fail");
                    }
                    out.write(("{\\"echo\\":" + new String(event) + ",\\"version\\":\\"" + context.getFunctionVersion() + "\\"}").getBytes());
                }
            }
            """;
    private static final String BROKEN_INIT = """
            package smoke;
            import com.amazonaws.services.lambda.runtime.*;
            import java.io.*;
            public class BrokenInit implements RequestStreamHandler {
                public BrokenInit() {
                    throw new IllegalStateException("configuration TABLE: is required but not set");
                }
                public void handleRequest(InputStream in, OutputStream out, Context context) {
                }
            }
            """;

    @TempDir
    static Path work;
    private static LambdaInvokeServer server;
    private static LambdaClient lambda;
    private static LocalLambda echo;

    @BeforeAll
    static void start() throws Exception {
        Path artifact = work.resolve("artifact");
        compile(artifact, Map.of("smoke/Echo.java", ECHO, "smoke/BrokenInit.java", BROKEN_INIT));
        echo = LocalLambda.load(spec("echo", "smoke.Echo::handleRequest", artifact));
        FunctionSpec broken = spec("broken", "smoke.BrokenInit::handleRequest", artifact);
        server = LambdaInvokeServer.startOnLoopback((name, qualifier) -> switch (name) {
            case "echo" -> qualifier == null || qualifier.equals("$LATEST") ? Optional.of(new LambdaInvokeServer.Target(echo, "$LATEST"))
                    : qualifier.equals("live") || qualifier.equals("7") ? Optional.of(new LambdaInvokeServer.Target(echo, "7"))
                    : Optional.empty();
            case "broken" -> Optional.of(new LambdaInvokeServer.Target(LocalLambda.load(broken), "$LATEST"));
            default -> Optional.empty();
        }, "us-east-1");
        lambda = LambdaClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
        echo.close();
    }

    @Test
    void invoke_shouldReturnThePayloadAndExecutedVersion_whenTheVersionArnIsGiven() {
        // given
        String arn = "arn:aws:lambda:us-east-1:123456789012:function:echo:7";

        // when
        InvokeResponse response = lambda.invoke(b -> b.functionName(arn).payload(SdkBytes.fromUtf8String("{\"a\":1}")));

        // then
        assertEquals(200, response.statusCode());
        assertNull(response.functionError());
        assertEquals("7", response.executedVersion());
        assertTrue(response.payload().asUtf8String().startsWith("{\"echo\":{\"a\":1}"), response.payload().asUtf8String());
    }

    @Test
    void invoke_shouldResolveNameQualifierAndPartialArnForms_whenAddressedEachWay() {
        // given
        List<String> names = List.of("echo", "echo:live", "123456789012:function:echo:7");

        // when / then
        for (String name : names) {
            InvokeResponse response = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("1")));
            assertNull(response.functionError(), name);
            assertEquals(name.equals("echo") ? "$LATEST" : "7", response.executedVersion(), name);
        }
    }

    @Test
    void invoke_shouldMarkAnUnhandledFunctionError_whenTheHandlerThrows() {
        // when
        InvokeResponse response = lambda.invoke(b -> b.functionName("echo:live").payload(SdkBytes.fromUtf8String("\"boom\"")));

        // then: still a 200, as Lambda answers; the header marks the payload as the error document
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.functionError());
        assertTrue(response.payload().asUtf8String().contains("\"errorType\":\"java.lang.IllegalStateException\""),
                response.payload().asUtf8String());
    }

    @Test
    void invoke_shouldMarkAnUnhandledFunctionError_whenTheInitFails() {
        // when
        InvokeResponse response = lambda.invoke(b -> b.functionName("broken").payload(SdkBytes.fromUtf8String("{}")));

        // then
        assertEquals("Unhandled", response.functionError());
        assertTrue(response.payload().asUtf8String().contains("is required but not set"), response.payload().asUtf8String());
    }

    @Test
    void invoke_shouldThrowResourceNotFound_whenTheFunctionOrQualifierDoesNotExist() {
        // when / then
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(b -> b.functionName("nothing")));
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(b -> b.functionName("echo:8")));
    }

    @Test
    void invoke_shouldRejectConflictingQualifiers_whenNameAndQualifierDisagree() {
        // when
        InvalidParameterValueException error = assertThrows(InvalidParameterValueException.class,
                () -> lambda.invoke(b -> b.functionName("echo:live").qualifier("7")));

        // then
        assertEquals(400, error.statusCode());
    }

    @Test
    void invoke_shouldAnswer202And204_whenInvokedAsEventOrDryRun() {
        // when
        InvokeResponse event = lambda.invoke(b -> b.functionName("echo").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{}")));
        InvokeResponse dryRun = lambda.invoke(b -> b.functionName("echo").invocationType(InvocationType.DRY_RUN));

        // then
        assertEquals(202, event.statusCode());
        assertEquals(204, dryRun.statusCode());
    }

    private static FunctionSpec spec(String name, String handler, Path artifact) {
        return new FunctionSpec(name, name, handler, artifact, 128, 10,
                Map.of("AWS_REGION", "us-east-1"), List.of(), artifact);
    }

    /** Compiles sources into {@code artifact} and puts aws-lambda-java-core into its lib/, as the build packages it. */
    private static void compile(Path artifact, Map<String, String> sources) throws Exception {
        Path src = work.resolve("src");
        Path lambdaCore = Path.of(com.amazonaws.services.lambda.runtime.Context.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI());
        Files.createDirectories(artifact.resolve("lib"));
        Files.copy(lambdaCore, artifact.resolve("lib").resolve(lambdaCore.getFileName()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("--release", "21", "-d", artifact.toString(),
                "-cp", lambdaCore.toString()));
        for (String source : sources.keySet()) {
            arguments.add(src.resolve(source).toString());
        }
        int status = javac.run(null, null, null, arguments.toArray(String[]::new));
        assertEquals(0, status, "test handlers did not compile");
        assertTrue(Files.exists(artifact.resolve("smoke" + File.separator + "Echo.class")));
    }
}
