package io.mediasuite.devices.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediasuite.common.Json;
import io.mediasuite.devices.registration.Platform;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an operator sends: a visible title and body plus string key/value data for the app. Rendered once per
 * send into an SNS {@code MessageStructure=json} document with one payload per platform key.
 *
 * @param data custom key/values; FCM only carries strings, so that is what every platform gets
 */
public record PushMessage(String title, String body, Map<String, String> data) {

    /** The size limit of one push payload at both APNs and FCM. */
    public static final int MAX_PLATFORM_PAYLOAD_BYTES = 4096;

    public PushMessage {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /**
     * The {@code Message} for {@code Publish(MessageStructure=json)}: {@code default} (required by SNS, used by
     * endpoints of no listed platform), {@code APNS} and {@code APNS_SANDBOX} with an {@code aps} alert and the
     * data as top-level custom keys (Apple's convention), and {@code GCM} in the FCM HTTP v1 shape
     * ({@code fcmV1Message.message.notification/data}). Each platform value is itself a JSON string, as SNS wants.
     */
    public String render() {
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.put("default", body);
        String apns = apnsPayload();
        document.put(Platform.APNS.payloadKey(), apns);
        document.put(Platform.APNS_SANDBOX.payloadKey(), apns);
        document.put(Platform.FCM.payloadKey(), fcmPayload());
        return Json.write(document);
    }

    String apnsPayload() {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ObjectNode alert = payload.putObject("aps").putObject("alert");
        alert.put("title", title);
        alert.put("body", body);
        data.forEach(payload::put);
        return Json.write(payload);
    }

    String fcmPayload() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode message = root.putObject("fcmV1Message").putObject("message");
        ObjectNode notification = message.putObject("notification");
        notification.put("title", title);
        notification.put("body", body);
        if (!data.isEmpty()) {
            ObjectNode dataNode = message.putObject("data");
            data.forEach(dataNode::put);
        }
        return Json.write(root);
    }

    /** The largest of the per-platform payloads, in UTF-8 bytes (what APNs and FCM limit). */
    int largestPlatformPayloadBytes() {
        return Math.max(apnsPayload().getBytes(StandardCharsets.UTF_8).length,
                fcmPayload().getBytes(StandardCharsets.UTF_8).length);
    }
}
