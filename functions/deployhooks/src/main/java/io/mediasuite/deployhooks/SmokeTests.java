package io.mediasuite.deployhooks;

import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import java.util.List;

/** The smoke tests a hook can run, by the name its {@code SMOKE_TEST} variable gives. */
public final class SmokeTests {

    /** Every valid {@code SMOKE_TEST} value. */
    public static final List<String> NAMES = List.of(DeviceRegistrationSmokeTest.NAME);

    private SmokeTests() {
    }

    /** Builds the named smoke test with what it needs from the hook's environment. */
    static SmokeTest create(String name, Env env, AwsClients clients) {
        return switch (name) {
            case DeviceRegistrationSmokeTest.NAME -> new DeviceRegistrationSmokeTest();
            default -> throw new IllegalArgumentException("no smoke test " + name);
        };
    }
}
