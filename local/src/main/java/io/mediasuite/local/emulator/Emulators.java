package io.mediasuite.local.emulator;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backing services for tests and local runs: DynamoDB Local for DynamoDB, moto for S3, SNS, SQS and
 * CloudFront. {@link #shared()} starts them once per JVM (a test run) and stops them when it exits.
 *
 * <p>{@link #environment()} is what a function needs to reach them: the SDK's standard endpoint variables,
 * a region and dummy credentials, so no test can ever reach AWS.
 */
public final class Emulators implements AutoCloseable {

    private static Emulators shared;

    private final DynamoDbLocal dynamoDb;
    private final MotoServer moto;

    private Emulators(DynamoDbLocal dynamoDb, MotoServer moto) {
        this.dynamoDb = dynamoDb;
        this.moto = moto;
    }

    /** Starts both emulators for the project at {@code root}; logs go to {@code logDir}. */
    public static Emulators start(Path root, Path logDir) {
        MotoServer moto = MotoServer.start(root, logDir);
        try {
            return new Emulators(DynamoDbLocal.start(root, logDir), moto);
        } catch (RuntimeException e) {
            moto.close();
            throw e;
        }
    }

    /** One pair of emulators for the whole JVM, started on first use. */
    public static synchronized Emulators shared() {
        if (shared == null) {
            Path root = ProjectLayout.root();
            shared = start(root, Path.of(System.getProperty("user.dir"), "target", "emulators"));
        }
        return shared;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public URI motoEndpoint() {
        return moto.endpoint();
    }

    public MotoServer moto() {
        return moto;
    }

    /** Environment variables that point an AWS SDK (and so every function) at these emulators. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
        return env;
    }

    @Override
    public void close() {
        try {
            dynamoDb.close();
        } finally {
            moto.close();
        }
    }
}
