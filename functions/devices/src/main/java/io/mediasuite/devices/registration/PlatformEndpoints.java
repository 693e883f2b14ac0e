package io.mediasuite.devices.registration;

import io.mediasuite.common.ApiException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * SNS platform endpoints: the four calls of AWS's token-management algorithm plus delete, each with the SNS
 * answers the algorithm depends on turned into values.
 *
 * <p>CreatePlatformEndpoint is always called with only the token: no CustomUserData, no attributes. SNS treats a
 * create with the same token and the same attributes as idempotent (it returns the existing ARN), so constant
 * arguments make racing or repeated creates converge on one endpoint. Per-user data lives in DynamoDB.
 */
public final class PlatformEndpoints {

    /**
     * SNS's answer to a create whose token already has an endpoint with other attributes (e.g. disabled, or
     * created by an older app version with CustomUserData): "... Endpoint &lt;arn&gt; already exists with the
     * same Token, but different attributes." The ARN is recovered from it.
     */
    private static final Pattern EXISTING_ENDPOINT =
            Pattern.compile("Endpoint (arn:[^\\s]+:endpoint/\\S+) already exists with the same [Tt]oken");

    private final SnsClient sns;
    private final PlatformApplications applications;

    public PlatformEndpoints(SnsClient sns, PlatformApplications applications) {
        this.sns = sns;
        this.applications = applications;
    }

    /** An endpoint's state as GetEndpointAttributes reports it. */
    public record EndpointState(String token, boolean enabled) {
    }

    /**
     * CreatePlatformEndpoint for {@code token} in the platform's application; returns the new or existing ARN.
     *
     * @throws ApiException a 400 on {@code token} when SNS rejects the token itself (InvalidParameter naming
     *                      the Token); other InvalidParameter answers propagate as server errors
     */
    public String create(Platform platform, String token) {
        String applicationArn = applications.arnFor(platform);
        try {
            return sns.createPlatformEndpoint(b -> b.platformApplicationArn(applicationArn).token(token)).endpointArn();
        } catch (InvalidParameterException e) {
            Optional<String> existing = existingEndpoint(e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage());
            if (existing.isPresent() && applications.ownsEndpoint(platform, existing.get())) {
                return existing.get();
            }
            if (e.getMessage() == null || !e.getMessage().contains("Token")) {
                throw e; // not about the client's token: a server-side problem, reported as such
            }
            throw new ApiException(ApiException.Kind.BAD_REQUEST, "SNS rejected the token: " + e.getMessage(),
                    java.util.List.of(new ApiException.FieldError("token",
                            "was rejected by the push notification service")), e);
        }
    }

    /** The ARN in SNS's "already exists with the same Token" message, if that is what the message says. */
    static Optional<String> existingEndpoint(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher matcher = EXISTING_ENDPOINT.matcher(message);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** GetEndpointAttributes; empty when the endpoint does not exist (NotFound). */
    public Optional<EndpointState> state(String endpointArn) {
        try {
            Map<String, String> attributes = sns.getEndpointAttributes(b -> b.endpointArn(endpointArn)).attributes();
            return Optional.of(new EndpointState(attributes.get("Token"),
                    Boolean.parseBoolean(attributes.getOrDefault("Enabled", "false"))));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** SetEndpointAttributes with the latest token and Enabled=true; false when the endpoint is gone (NotFound). */
    public boolean enable(String endpointArn, String token) {
        try {
            sns.setEndpointAttributes(b -> b.endpointArn(endpointArn)
                    .attributes(Map.of("Token", token, "Enabled", "true")));
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** DeleteEndpoint; deleting an endpoint that is already gone is not an error. */
    public void delete(String endpointArn) {
        try {
            sns.deleteEndpoint(b -> b.endpointArn(endpointArn));
        } catch (NotFoundException e) {
            // Already gone: the outcome the caller wanted.
        }
    }
}
