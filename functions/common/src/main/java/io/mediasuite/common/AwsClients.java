package io.mediasuite.common;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one place AWS SDK clients are built. Build clients once, in a handler's init, never per invocation.
 *
 * <ul>
 *   <li>Region from {@code AWS_REGION} (Lambda always sets it), else {@code AWS_DEFAULT_REGION}.</li>
 *   <li>HTTP through the JDK-based {@link UrlConnectionHttpClient}, shared by all clients of this factory: it
 *       starts faster and weighs less than the Apache or Netty clients.</li>
 *   <li>Endpoints: the SDK's standard override variables {@code AWS_ENDPOINT_URL_<SERVICE>} then
 *       {@code AWS_ENDPOINT_URL} (unless {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true}). This is how tests and
 *       the local runner point functions at DynamoDB Local and moto; an overridden S3 client uses path-style
 *       addressing.</li>
 *   <li>Credentials: the key variables when present (Lambda's plain runtime, the local runner), otherwise the
 *       default chain (SnapStart functions get theirs from the container credentials endpoint).</li>
 *   <li>Tracing: the {@link Tracing} seam instruments the client when X-Ray is active.</li>
 * </ul>
 */
public final class AwsClients {

    private final Env env;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;

    public AwsClients(Env env) {
        this.env = env;
        String regionName = env.get("AWS_REGION").or(() -> env.get("AWS_DEFAULT_REGION"))
                .orElseThrow(() -> new ConfigException("AWS_REGION", "is required but not set"));
        this.region = Region.of(regionName);
        this.credentials = credentialsFrom(env);
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** A factory for the current environment (see {@link Env#current()}). */
    public static AwsClients fromEnvironment() {
        return new AwsClients(Env.current());
    }

    public Region region() {
        return region;
    }

    /**
     * Configures and builds a sync client.
     *
     * @param builder   e.g. {@code DynamoDbClient.builder()}
     * @param serviceId the SDK service id as used in endpoint variables, e.g. {@code DYNAMODB}, {@code S3}
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceId) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(Tracing.instrument(ClientOverrideConfiguration.builder(), env)
                        .addExecutionInterceptor(AwsCallCounter.INSTANCE).build());
        endpointOverride(serviceId).ifPresent(endpoint -> {
            builder.endpointOverride(endpoint);
            usePathStyle(builder);
        });
        return builder.build();
    }

    /**
     * S3 addresses buckets as host names (virtual-hosted style), which an emulator on 127.0.0.1 cannot serve;
     * with an endpoint override the S3 client switches to path style. Looked up by name so this module does not
     * depend on the S3 client; other builders have no such option and are left alone.
     */
    private static void usePathStyle(Object builder) {
        // The builder class itself is package-private: call the method as its public interface declares it.
        java.lang.reflect.Method method = publicMethod(builder.getClass(), "forcePathStyle");
        if (method == null) {
            return;
        }
        try {
            method.invoke(builder, Boolean.TRUE);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot switch " + builder.getClass().getName() + " to path style", e);
        }
    }

    private static java.lang.reflect.Method publicMethod(Class<?> type, String name) {
        for (Class<?> candidate : type.getInterfaces()) {
            try {
                if (java.lang.reflect.Modifier.isPublic(candidate.getModifiers())) {
                    return candidate.getMethod(name, Boolean.class);
                }
            } catch (NoSuchMethodException notHere) {
                // Keep looking.
            }
            java.lang.reflect.Method inherited = publicMethod(candidate, name);
            if (inherited != null) {
                return inherited;
            }
        }
        return type.getSuperclass() == null ? null : publicMethod(type.getSuperclass(), name);
    }

    /** The endpoint override for a service, if one is configured. */
    public Optional<URI> endpointOverride(String serviceId) {
        if (env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").map(Boolean::parseBoolean).orElse(false)) {
            return Optional.empty();
        }
        String variable = "AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT).replace(' ', '_');
        return env.get(variable).or(() -> env.get("AWS_ENDPOINT_URL")).map(value -> {
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(env.get(variable).isPresent() ? variable : "AWS_ENDPOINT_URL",
                        "must be an absolute URL, got '" + value + "'");
            }
        });
    }

    private static AwsCredentialsProvider credentialsFrom(Env env) {
        Optional<String> keyId = env.get("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() && secret.isPresent()) {
            Optional<String> token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token.isPresent()
                    ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
                    : AwsBasicCredentials.create(keyId.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
