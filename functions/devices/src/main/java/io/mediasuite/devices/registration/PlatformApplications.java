package io.mediasuite.devices.registration;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SNS platform applications devices register with, one per {@link Platform}, from the template parameters
 * {@code ApnsPlatformApplicationArn}, {@code ApnsSandboxPlatformApplicationArn} and {@code FcmPlatformApplicationArn}.
 *
 * <p>An application ARN is {@code arn:<partition>:sns:<region>:<account>:app/<PLATFORM>/<name>} and its endpoints
 * are {@code arn:<partition>:sns:<region>:<account>:endpoint/<PLATFORM>/<name>/<id>}; the IAM policies in
 * template.yaml are built from the same rule.
 */
public final class PlatformApplications {

    public static final String APNS_VARIABLE = "APNS_PLATFORM_APPLICATION_ARN";
    public static final String APNS_SANDBOX_VARIABLE = "APNS_SANDBOX_PLATFORM_APPLICATION_ARN";
    public static final String FCM_VARIABLE = "FCM_PLATFORM_APPLICATION_ARN";

    private static final Pattern APPLICATION_ARN =
            Pattern.compile("(arn:[a-z-]+:sns:[a-z0-9-]+:\\d{12}):app/([A-Z_]+)/([A-Za-z0-9_.\\-]{1,256})");

    private final Map<Platform, String> applicationArns;
    private final Map<Platform, String> endpointPrefixes;

    public PlatformApplications(Map<Platform, String> applicationArns) {
        this.applicationArns = new EnumMap<>(applicationArns);
        this.endpointPrefixes = new EnumMap<>(Platform.class);
        for (Platform platform : Platform.values()) {
            String arn = applicationArns.get(platform);
            if (arn == null) {
                throw new IllegalArgumentException("no platform application for " + platform);
            }
            Matcher matcher = APPLICATION_ARN.matcher(arn);
            if (!matcher.matches() || !matcher.group(2).equals(platform.snsPlatform())) {
                throw new IllegalArgumentException("not an SNS " + platform.snsPlatform() + " application ARN: " + arn);
            }
            endpointPrefixes.put(platform, matcher.group(1) + ":endpoint/" + matcher.group(2) + "/" + matcher.group(3) + "/");
        }
    }

    /** Reads the three ARNs from the environment, failing fast with the variable's name. */
    public static PlatformApplications from(ConfigReader config) {
        Map<Platform, String> arns = new EnumMap<>(Platform.class);
        arns.put(Platform.APNS, checked(config, APNS_VARIABLE, Platform.APNS));
        arns.put(Platform.APNS_SANDBOX, checked(config, APNS_SANDBOX_VARIABLE, Platform.APNS_SANDBOX));
        arns.put(Platform.FCM, checked(config, FCM_VARIABLE, Platform.FCM));
        return new PlatformApplications(arns);
    }

    private static String checked(ConfigReader config, String variable, Platform platform) {
        String arn = config.required(variable);
        Matcher matcher = APPLICATION_ARN.matcher(arn);
        if (!matcher.matches() || !matcher.group(2).equals(platform.snsPlatform())) {
            throw new ConfigException(variable, "must be the ARN of an SNS " + platform.snsPlatform()
                    + " platform application (arn:aws:sns:<region>:<account>:app/" + platform.snsPlatform()
                    + "/<name>), got '" + arn + "'");
        }
        return arn;
    }

    public String arnFor(Platform platform) {
        return applicationArns.get(platform);
    }

    /** Whether an endpoint ARN belongs to the platform's application. */
    public boolean ownsEndpoint(Platform platform, String endpointArn) {
        return endpointArn != null && endpointArn.startsWith(endpointPrefixes.get(platform))
                && endpointArn.length() > endpointPrefixes.get(platform).length();
    }

    /** The platform whose application an endpoint belongs to; empty for endpoints of other applications. */
    public Optional<Platform> platformOf(String endpointArn) {
        for (Platform platform : Platform.values()) {
            if (ownsEndpoint(platform, endpointArn)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
