package io.mediasuite.deployhooks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The version being deployed, invoked directly by its qualified ARN: a smoke request never goes through the
 * alias, so it reaches the new code even though the alias still sends all traffic to the old version.
 */
public final class TargetVersion {

    /** A version ARN: {@code arn:<partition>:lambda:<region>:<account>:function:<name>:<version number>}. */
    static final Pattern VERSION_ARN = Pattern.compile(
            "^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([A-Za-z0-9-_]{1,64}):(\\d+)$");

    private static final int MAX_DETAIL = 500;

    private final LambdaClient lambda;
    private final String versionArn;
    private final String version;

    public TargetVersion(LambdaClient lambda, String versionArn) {
        Matcher arn = VERSION_ARN.matcher(versionArn);
        if (!arn.matches()) {
            throw new IllegalArgumentException("not a published version ARN: " + versionArn);
        }
        this.lambda = lambda;
        this.versionArn = versionArn;
        this.version = arn.group(2);
    }

    public String versionArn() {
        return versionArn;
    }

    /**
     * Invokes the version synchronously with {@code event} (serialized with the shared mapper) and returns its
     * response payload.
     *
     * @param what names the request in failure messages
     * @throws SmokeFailure when the invocation fails, the function reports an error, or another version ran
     */
    public byte[] invoke(String what, Object event) throws SmokeFailure {
        byte[] payload = event instanceof byte[] bytes ? bytes : Json.write(event).getBytes(StandardCharsets.UTF_8);
        InvokeResponse response;
        try {
            response = lambda.invoke(b -> b.functionName(versionArn).invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArray(payload)));
        } catch (SdkException e) {
            throw new SmokeFailure(what + ": invoking " + versionArn + " failed: " + e.getMessage(), e);
        }
        byte[] answer = response.payload() == null ? new byte[0] : response.payload().asByteArray();
        if (response.functionError() != null) {
            throw new SmokeFailure(what + ": " + versionArn + " raised a function error (" + response.functionError()
                    + "): " + detail(answer));
        }
        if (response.executedVersion() != null && !response.executedVersion().equals(version)) {
            throw new SmokeFailure(what + ": version " + response.executedVersion() + " ran instead of " + version);
        }
        return answer;
    }

    /**
     * Sends an API Gateway proxy request and checks the status.
     *
     * @param expected the acceptable status codes
     * @return the proxy response
     */
    public APIGatewayProxyResponseEvent call(String what, APIGatewayProxyRequestEvent request, int... expected)
            throws SmokeFailure {
        byte[] answer = invoke(what, request);
        APIGatewayProxyResponseEvent response;
        try {
            response = Json.MAPPER.readValue(answer, APIGatewayProxyResponseEvent.class);
        } catch (IOException e) {
            throw new SmokeFailure(what + ": the answer is not an API Gateway proxy response: " + detail(answer), e);
        }
        Integer status = response.getStatusCode();
        for (int acceptable : expected) {
            if (status != null && status == acceptable) {
                return response;
            }
        }
        throw new SmokeFailure(what + ": expected status " + Arrays.toString(expected) + ", got " + status
                + ": " + detail(response.getBody() == null ? new byte[0]
                        : response.getBody().getBytes(StandardCharsets.UTF_8)));
    }

    static String detail(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }
}
