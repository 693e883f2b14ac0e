package io.mediasuite.deployhooks;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;

/**
 * A hook's configuration, read once at init.
 *
 * @param targetVersionArn {@code TARGET_VERSION_ARN}: the version being deployed. The template sets it to
 *                         {@code !Ref <Function>.Version}, which CloudFormation resolves to the version SAM just
 *                         published, so the hook always tests the version the deployment shifts traffic to.
 * @param smokeTest        {@code SMOKE_TEST}: which {@link SmokeTest} to run (see {@link SmokeTests})
 */
public record HookConfig(String targetVersionArn, String smokeTest) {

    public static HookConfig from(Env env) {
        ConfigReader config = new ConfigReader(env);
        String arn = config.required("TARGET_VERSION_ARN");
        if (!TargetVersion.VERSION_ARN.matcher(arn).matches()) {
            throw new ConfigException("TARGET_VERSION_ARN",
                    "must be a published version's ARN (…:function:<name>:<number>), got '" + arn + "'");
        }
        String smokeTest = config.required("SMOKE_TEST");
        if (!SmokeTests.NAMES.contains(smokeTest)) {
            throw new ConfigException("SMOKE_TEST", "must be one of " + SmokeTests.NAMES + ", got '" + smokeTest + "'");
        }
        return new HookConfig(arn, smokeTest);
    }
}
