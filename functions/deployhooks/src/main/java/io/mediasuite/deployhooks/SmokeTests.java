package io.mediasuite.deployhooks;

import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/** The smoke tests a hook can run, by the name its {@code SMOKE_TEST} variable gives. */
public final class SmokeTests {

    /** Every valid {@code SMOKE_TEST} value. */
    public static final List<String> NAMES = List.of(DeviceRegistrationSmokeTest.NAME,
            NotificationLookupSmokeTest.NAME, PushTaskSmokeTest.NAME, EndpointFeedbackSmokeTest.NAME, ExpiredDeviceCleanupSmokeTest.NAME,
            InvalidationTestEventSmokeTest.NAME, ThumbnailSmokeTest.NAME);

    private SmokeTests() {
    }

    /** Builds the named smoke test with what it needs from the hook's environment. */
    static SmokeTest create(String name, Env env, AwsClients clients) {
        return switch (name) {
            case DeviceRegistrationSmokeTest.NAME -> new DeviceRegistrationSmokeTest();
            case NotificationLookupSmokeTest.NAME -> new NotificationLookupSmokeTest();
            case PushTaskSmokeTest.NAME -> new PushTaskSmokeTest();
            case EndpointFeedbackSmokeTest.NAME -> EndpointFeedbackSmokeTest.from(new ConfigReader(env));
            case ExpiredDeviceCleanupSmokeTest.NAME -> ExpiredDeviceCleanupSmokeTest.from(new ConfigReader(env));
            case InvalidationTestEventSmokeTest.NAME -> new InvalidationTestEventSmokeTest();
            case ThumbnailSmokeTest.NAME -> ThumbnailSmokeTest.from(new ConfigReader(env),
                    clients.build(S3Client.builder(), "S3"));
            default -> throw new IllegalArgumentException("no smoke test " + name);
        };
    }
}
