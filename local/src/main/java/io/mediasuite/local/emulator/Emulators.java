package io.mediasuite.local.emulator;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The backing services for tests and local runs: DynamoDB Local for DynamoDB, moto for S3, SNS, SQS and
 * CloudFront. {@link #shared()} starts them once per JVM (a test run) and stops them when it exits.
 *
 * <p>When the SDK's standard endpoint variables are already set in the environment ({@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, ...: a moto or LocalStack the user started), the services they cover are
 * used as they are and no emulator is started for them.
 *
 * <p>{@link #environment()} is what a function needs to reach them: the endpoint variables, a region and
 * credentials (dummy ones unless the environment brought its own), so nothing local can reach AWS by accident.
 */
public final class Emulators implements AutoCloseable {

    /** Services served by moto. */
    public static final List<String> MOTO_SERVICES = List.of("S3", "SNS", "SQS", "CLOUDFRONT");

    private static Emulators shared;

    private final DynamoDbLocal dynamoDb;
    private final MotoServer moto;
    private final Map<String, String> environment;

    private Emulators(DynamoDbLocal dynamoDb, MotoServer moto, Map<String, String> environment) {
        this.dynamoDb = dynamoDb;
        this.moto = moto;
        this.environment = environment;
    }

    /**
     * Starts what {@code processEnv} does not already provide, for the project at {@code root}; emulator logs go
     * to {@code logDir}.
     */
    public static Emulators start(Path root, Path logDir, Map<String, String> processEnv) {
        boolean needDynamo = configured(processEnv, "DYNAMODB").isEmpty();
        boolean needMoto = MOTO_SERVICES.stream().anyMatch(s -> configured(processEnv, s).isEmpty());
        // Both start in parallel: together they are most of the runner's start-up time.
        CompletableFuture<MotoServer> motoStart = needMoto
                ? CompletableFuture.supplyAsync(() -> MotoServer.start(root, logDir)) : CompletableFuture.completedFuture(null);
        CompletableFuture<DynamoDbLocal> dynamoStart = needDynamo
                ? CompletableFuture.supplyAsync(() -> DynamoDbLocal.start(root, logDir))
                : CompletableFuture.completedFuture(null);
        MotoServer moto;
        DynamoDbLocal dynamoDb;
        try {
            CompletableFuture.allOf(motoStart, dynamoStart).exceptionally(e -> null).join();
            moto = motoStart.join();
            dynamoDb = dynamoStart.join();
        } catch (CompletionException e) {
            motoStart.thenAccept(m -> { if (m != null) { m.close(); } });
            dynamoStart.thenAccept(d -> { if (d != null) { d.close(); } });
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Map<String, String> env = new LinkedHashMap<>();
        String region = value(processEnv, "AWS_REGION").or(() -> value(processEnv, "AWS_DEFAULT_REGION"))
                .orElse("us-east-1");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        boolean ownKeys = value(processEnv, "AWS_ACCESS_KEY_ID").isPresent()
                && value(processEnv, "AWS_SECRET_ACCESS_KEY").isPresent() && !(needDynamo && needMoto);
        env.put("AWS_ACCESS_KEY_ID", ownKeys ? processEnv.get("AWS_ACCESS_KEY_ID") : "testing");
        env.put("AWS_SECRET_ACCESS_KEY", ownKeys ? processEnv.get("AWS_SECRET_ACCESS_KEY") : "testing");
        if (ownKeys && value(processEnv, "AWS_SESSION_TOKEN").isPresent()) {
            env.put("AWS_SESSION_TOKEN", processEnv.get("AWS_SESSION_TOKEN"));
        }
        for (String service : MOTO_SERVICES) {
            env.put("AWS_ENDPOINT_URL_" + service, configured(processEnv, service)
                    .orElseGet(() -> moto.endpoint().toString()));
        }
        env.put("AWS_ENDPOINT_URL_DYNAMODB", configured(processEnv, "DYNAMODB")
                .orElseGet(() -> dynamoDb.endpoint().toString()));
        return new Emulators(dynamoDb, moto, env);
    }

    /** One set of emulators for the whole JVM, started on first use. */
    public static synchronized Emulators shared() {
        if (shared == null) {
            Path root = ProjectLayout.root();
            shared = start(root, Path.of(System.getProperty("user.dir"), "target", "emulators"), System.getenv());
        }
        return shared;
    }

    /** The endpoint a service is reached at, e.g. {@code endpoint("DYNAMODB")}. */
    public URI endpoint(String service) {
        return URI.create(environment.get("AWS_ENDPOINT_URL_" + service));
    }

    public URI dynamoDbEndpoint() {
        return endpoint("DYNAMODB");
    }

    public URI motoEndpoint() {
        return endpoint("S3");
    }

    /** The moto server this instance started, if it started one. */
    public Optional<MotoServer> moto() {
        return Optional.ofNullable(moto);
    }

    /** Which services run in an emulator started here, and which were given from outside. */
    public Map<String, String> describe() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("DYNAMODB", environment.get("AWS_ENDPOINT_URL_DYNAMODB")
                + (dynamoDb != null ? " (DynamoDB Local, started here)" : " (from AWS_ENDPOINT_URL*)"));
        for (String service : MOTO_SERVICES) {
            String endpoint = environment.get("AWS_ENDPOINT_URL_" + service);
            boolean ours = moto != null && endpoint.equals(moto.endpoint().toString());
            lines.put(service, endpoint + (ours ? " (moto, started here)" : " (from AWS_ENDPOINT_URL*)"));
        }
        return lines;
    }

    /** Environment variables that point an AWS SDK (and so every function) at these services. */
    public Map<String, String> environment() {
        return environment;
    }

    private static Optional<String> configured(Map<String, String> env, String service) {
        return value(env, "AWS_ENDPOINT_URL_" + service).or(() -> value(env, "AWS_ENDPOINT_URL"));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public void close() {
        try {
            if (dynamoDb != null) {
                dynamoDb.close();
            }
        } finally {
            if (moto != null) {
                moto.close();
            }
        }
    }
}
