package io.mediasuite.deployhooks;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import java.util.UUID;

/**
 * The APNs sandbox platform application a smoke test makes up endpoint ARNs under: an endpoint that does not
 * exist, of an application the target is allowed to touch, so the check reaches SNS and changes nothing.
 *
 * <p>Configuration: {@code APNS_SANDBOX_PLATFORM_APPLICATION_ARN} (the template passes the target's own).
 */
record SandboxApplication(String arn) {

    static final String VARIABLE = "APNS_SANDBOX_PLATFORM_APPLICATION_ARN";

    static SandboxApplication from(ConfigReader config) {
        String arn = config.required(VARIABLE);
        if (!arn.contains(":app/")) {
            throw new ConfigException(VARIABLE, "must be a platform application ARN");
        }
        return new SandboxApplication(arn);
    }

    /** A fresh endpoint ARN under the application, of an endpoint that does not exist. */
    String unusedEndpointArn() {
        return arn.replace(":app/", ":endpoint/") + "/" + UUID.randomUUID();
    }
}
