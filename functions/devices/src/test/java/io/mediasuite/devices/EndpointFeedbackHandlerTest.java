package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static io.mediasuite.devices.LocalDevices.invoke;
import static io.mediasuite.devices.LocalDevices.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SNS platform application events through {@link EndpointFeedbackHandler}, in the envelope Lambda receives
 * from an SNS subscription; the endpoint's real state is arranged in moto first, as SNS would have it.
 */
class EndpointFeedbackHandlerTest {

    private final DeviceApiHandler devices = new DeviceApiHandler(LocalDevices.DEVICE_API_ENV);
    private final EndpointFeedbackHandler feedback = new EndpointFeedbackHandler(LocalDevices.FEEDBACK_ENV);

    private record Device(String id, String endpointArn) {
    }

    @AfterEach
    void clearHook() {
        AwsCallRecorder.clearHook();
    }

    private Device register() {
        String id = deviceId();
        String arn = body(call(devices, deviceRequest("PUT", id, "{\"platform\":\"APNS\",\"token\":\"" + apnsToken()
                + "\",\"location\":{\"lat\":40.0,\"lon\":-3.7}}"))).path("endpointArn").asText();
        return new Device(id, arn);
    }

    /** An SNS-to-Lambda event carrying one platform application event, as SNS formats them. */
    static String snsEvent(String eventType, String endpointArn, String failureType) {
        String application = endpointArn.substring(0, endpointArn.lastIndexOf('/')).replace(":endpoint/", ":app/");
        StringBuilder message = new StringBuilder("{");
        if (failureType != null) {
            message.append("\"DeliveryAttempts\":1,");
        }
        message.append("\"EndpointArn\":").append(Json.write(endpointArn)).append(",\"EventType\":\"").append(eventType)
                .append('"');
        if (failureType != null) {
            message.append(",\"FailureMessage\":\"Platform token associated with the endpoint is not valid\"")
                    .append(",\"FailureType\":\"").append(failureType).append("\",\"MessageId\":\"")
                    .append(java.util.UUID.randomUUID()).append('"');
        }
        message.append(",\"Resource\":").append(Json.write(application))
                .append(",\"Service\":\"SNS\",\"Time\":\"2026-11-23T10:15:30.123Z\"}");
        String topic = "arn:aws:sns:us-east-1:123456789012:media-suite-EndpointEventsTopic";
        return "{\"Records\":[{\"EventSource\":\"aws:sns\",\"EventVersion\":\"1.0\",\"EventSubscriptionArn\":\"" + topic
                + ":5a3c1d2e-0000-4000-8000-000000000001\",\"Sns\":{\"Type\":\"Notification\",\"MessageId\":\""
                + java.util.UUID.randomUUID() + "\",\"TopicArn\":\"" + topic + "\",\"Subject\":\"" + eventType
                + " event for app media (APNS)\",\"Message\":" + Json.write(message.toString())
                + ",\"Timestamp\":\"2026-11-23T10:15:30.456Z\",\"SignatureVersion\":\"1\",\"Signature\":\"EXAMPLE\","
                + "\"SigningCertUrl\":\"https://sns.us-east-1.amazonaws.com/cert.pem\",\"UnsubscribeUrl\":"
                + "\"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe\",\"MessageAttributes\":{}}}]}";
    }

    @Test
    void endpointDeleted_shouldRemoveTheDevice_whenItStillPointsAtTheEndpoint() {
        // given
        Device device = register();
        SNS.deleteEndpoint(b -> b.endpointArn(device.endpointArn()));

        // when
        invoke(feedback, snsEvent("EndpointDeleted", device.endpointArn(), null));

        // then
        assertTrue(item(device.id()) == null || item(device.id()).isEmpty());
    }

    @Test
    void endpointUpdated_shouldMarkTheDeviceDisabled_whenSnsDisabledTheEndpoint() {
        // given
        Device device = register();
        SNS.setEndpointAttributes(b -> b.endpointArn(device.endpointArn()).attributes(Map.of("Enabled", "false")));

        // when
        invoke(feedback, snsEvent("EndpointUpdated", device.endpointArn(), null));

        // then: disabled and out of the geo index
        Map<String, AttributeValue> item = item(device.id());
        assertFalse(item.get("enabled").bool());
        assertNull(item.get("geoCell"));
        assertNotNull(item.get("geohash"), "the location stays for when the app registers again");
    }

    @Test
    void endpointUpdated_shouldChangeNothing_whenTheEndpointIsStillEnabled() {
        // given: e.g. the event for this service's own SetEndpointAttributes
        Device device = register();
        Map<String, AttributeValue> before = item(device.id());

        // when
        invoke(feedback, snsEvent("EndpointUpdated", device.endpointArn(), null));

        // then
        assertEquals(before, item(device.id()));
    }

    @Test
    void deliveryFailure_shouldMarkDisabledOrRemove_whenTheEndpointIsDisabledOrGone() {
        // given
        Device disabled = register();
        Device gone = register();
        SNS.setEndpointAttributes(b -> b.endpointArn(disabled.endpointArn()).attributes(Map.of("Enabled", "false")));
        SNS.deleteEndpoint(b -> b.endpointArn(gone.endpointArn()));

        // when
        invoke(feedback, snsEvent("DeliveryFailure", disabled.endpointArn(), "InvalidPlatformToken"));
        invoke(feedback, snsEvent("DeliveryFailure", gone.endpointArn(), "EndpointNotFound"));

        // then
        assertFalse(item(disabled.id()).get("enabled").bool());
        assertTrue(item(gone.id()) == null || item(gone.id()).isEmpty());
    }

    @Test
    void endpointDeleted_shouldKeepTheDevice_whenItAlreadyMovedToANewEndpoint() {
        // given: the endpoint was deleted, the app re-registered (new endpoint), then the late event arrives
        Device device = register();
        String token = item(device.id()).get("token").s();
        SNS.deleteEndpoint(b -> b.endpointArn(device.endpointArn()));
        String newArn = body(call(devices, deviceRequest("PUT", device.id(), "{\"platform\":\"APNS\",\"token\":\""
                + token + "\"}"))).path("endpointArn").asText();

        // when
        invoke(feedback, snsEvent("EndpointDeleted", device.endpointArn(), null));

        // then
        assertEquals(newArn, item(device.id()).get("endpointArn").s());
    }

    @Test
    void endpointCreated_shouldBeIgnored_whenReceived() {
        // given
        Device device = register();
        Map<String, AttributeValue> before = item(device.id());

        // when
        invoke(feedback, snsEvent("EndpointCreated", device.endpointArn(), null));

        // then
        assertEquals(before, item(device.id()));
    }

    @Test
    void handle_shouldFailTheInvocation_whenTheMessageIsNotAnEndpointEvent() {
        // given: the invocation must fail so Lambda retries it and then hands it to the on-failure queue
        List<String> bad = List.of(
                "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":\"not json\"}}]}",
                "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":\"{\\\"EventType\\\":\\\"EndpointDeleted\\\"}\"}}]}",
                "{\"Records\":[]}");

        // when / then
        for (String event : bad) {
            assertThrows(IllegalArgumentException.class, () -> invoke(feedback, event), event);
        }
    }
    /** Several SNS records in one event, from single-record events as {@link #snsEvent} builds them. */
    private static String snsEventOf(String... singleRecordEvents) {
        List<String> records = new java.util.ArrayList<>();
        for (String event : singleRecordEvents) {
            try {
                records.add(Json.MAPPER.readTree(event).path("Records").get(0).toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    @Test
    void handle_shouldApplyTheRecordsAfterIt_andThenFail_whenOneRecordIsMalformed() {
        // given: a deleted endpoint, a record that is not an endpoint event, another deleted endpoint
        Device first = register();
        Device second = register();
        SNS.deleteEndpoint(b -> b.endpointArn(first.endpointArn()));
        SNS.deleteEndpoint(b -> b.endpointArn(second.endpointArn()));
        String malformed = "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"MessageId\":\"m-2\","
                + "\"Message\":\"not an event\"}}]}";
        String event = snsEventOf(snsEvent("EndpointDeleted", first.endpointArn(), null), malformed,
                snsEvent("EndpointDeleted", second.endpointArn(), null));

        // when: the invocation still fails, so the event reaches the on-failure queue after Lambda's retries
        assertThrows(IllegalArgumentException.class, () -> invoke(feedback, event));

        // then: both well-formed records were applied, the one after the malformed record too
        assertTrue(item(first.id()).isEmpty());
        assertTrue(item(second.id()).isEmpty());
    }

    @Test
    void handle_shouldApplyTheOtherRecords_andFailForARetry_whenOneRecordHitsATransientFailure() {
        // given: two disabled endpoints; SNS will fail the first GetEndpointAttributes (as when throttled)
        Device first = register();
        Device second = register();
        for (Device device : List.of(first, second)) {
            SNS.setEndpointAttributes(b -> b.endpointArn(device.endpointArn()).attributes(Map.of("Enabled", "false")));
        }
        String event = snsEventOf(snsEvent("EndpointUpdated", first.endpointArn(), null),
                snsEvent("EndpointUpdated", second.endpointArn(), null));
        AwsCallRecorder.beforeNext("Sns.GetEndpointAttributes", () -> {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("SNS unavailable (injected)");
        });

        // when
        RuntimeException failure = assertThrows(RuntimeException.class, () -> invoke(feedback, event));

        // then: the second record was applied anyway; Lambda's retry of the whole event applies the first
        assertTrue(failure.getMessage().contains("injected"), failure.toString());
        assertTrue(item(first.id()).get("enabled").bool(), "not applied yet");
        assertFalse(item(second.id()).get("enabled").bool());
        Map<String, AttributeValue> secondAfterFirstTry = item(second.id());
        invoke(feedback, event);
        assertFalse(item(first.id()).get("enabled").bool());
        assertEquals(secondAfterFirstTry, item(second.id()), "applying a record again changes nothing");
    }
}
