package io.mediasuite.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsClientsTest {

    private static final Map<String, String> BASE = Map.of("AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s");

    @Test
    void endpointOverride_shouldPreferTheServiceVariable_whenBothAreSet() {
        // given
        AwsClients clients = new AwsClients(env(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000")));

        // when / then
        assertEquals(Optional.of(URI.create("http://127.0.0.1:8000")), clients.endpointOverride("DYNAMODB"));
        assertEquals(Optional.of(URI.create("http://127.0.0.1:5000")), clients.endpointOverride("S3"));
    }

    @Test
    void endpointOverride_shouldBeEmpty_whenIgnoringConfiguredEndpoints() {
        // given
        AwsClients clients = new AwsClients(env(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")));

        // when / then
        assertTrue(clients.endpointOverride("SNS").isEmpty());
    }

    @Test
    void endpointOverride_shouldNameTheVariable_whenTheUrlIsNotAbsolute() {
        // given
        AwsClients clients = new AwsClients(env(Map.of("AWS_ENDPOINT_URL_SQS", "localhost-9324")));

        // when
        ConfigException error = assertThrows(ConfigException.class, () -> clients.endpointOverride("SQS"));

        // then
        assertEquals("AWS_ENDPOINT_URL_SQS", error.variable());
    }

    @Test
    void constructor_shouldFailNamingAwsRegion_whenNoRegionIsSet() {
        // when
        ConfigException error = assertThrows(ConfigException.class, () -> new AwsClients(Env.of(Map.of())));

        // then
        assertEquals("AWS_REGION", error.variable());
    }

    @Test
    void tracing_shouldStayOff_whenNotRunByLambdaWithActiveTracing() {
        // given
        Env local = env(Map.of("AWS_LAMBDA_FUNCTION_NAME", "fn"));
        Env traced = env(Map.of("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000"));

        // when / then
        assertEquals(false, Tracing.enabled(local));
        assertEquals(true, Tracing.enabled(traced));
        assertEquals("value", Tracing.span("work", () -> "value"));
    }

    private static Env env(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(BASE);
        all.putAll(extra);
        return Env.of(all);
    }
}
