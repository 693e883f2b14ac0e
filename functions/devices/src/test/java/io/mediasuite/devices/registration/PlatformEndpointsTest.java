package io.mediasuite.devices.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformEndpointsTest {

    @Test
    void existingEndpoint_shouldRecoverTheArn_whenSnsReportsTheTokenExists() {
        // given SNS's wording (AWS) and moto's, which differ only around the ARN
        String aws = "Invalid parameter: Token Reason: Endpoint arn:aws:sns:us-west-2:123456789012:endpoint/GCM/"
                + "MyApplication/12345678-abcd-9012-efgh-345678901234 already exists with the same Token, but "
                + "different attributes.";
        String lowerCase = "Invalid parameter: Token Reason: Endpoint arn:aws-cn:sns:cn-north-1:123456789012:"
                + "endpoint/APNS_SANDBOX/app.v2/0a1b already exists with the same token, but different attributes.";

        // when / then
        assertEquals(Optional.of("arn:aws:sns:us-west-2:123456789012:endpoint/GCM/MyApplication/"
                + "12345678-abcd-9012-efgh-345678901234"), PlatformEndpoints.existingEndpoint(aws));
        assertEquals(Optional.of("arn:aws-cn:sns:cn-north-1:123456789012:endpoint/APNS_SANDBOX/app.v2/0a1b"),
                PlatformEndpoints.existingEndpoint(lowerCase));
    }

    @Test
    void existingEndpoint_shouldBeEmpty_whenTheInvalidParameterIsAboutSomethingElse() {
        // given / when / then
        assertTrue(PlatformEndpoints.existingEndpoint("Invalid parameter: Token Reason: iOS device tokens must be "
                + "no more than 400 hexadecimal characters").isEmpty());
        assertTrue(PlatformEndpoints.existingEndpoint(null).isEmpty());
    }
}
