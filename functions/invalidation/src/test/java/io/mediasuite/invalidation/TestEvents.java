package io.mediasuite.invalidation;

import io.mediasuite.common.Json;
import io.mediasuite.local.emulator.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds events in the shapes Lambda delivers them, for handler tests and the deploy simulation. */
final class TestEvents {

    static final String BUCKET = "media-suite-site-local";
    static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:media-suite-local-InvalidationQueue";

    /** One SQS message as Lambda hands it over. */
    record SqsMessage(String messageId, String receiptHandle, String body, int receiveCount) {
        SqsMessage redelivered() {
            return new SqsMessage(messageId, receiptHandle + "-again", body, receiveCount + 1);
        }
    }

    private TestEvents() {
    }

    /** A sample event of events/InvalidationFunction/ (what {@code sam local invoke -e} is given). */
    static String sample(String file) {
        try {
            return Files.readString(ProjectLayout.root().resolve("events/InvalidationFunction").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes a key as S3 event notifications do (form encoding; S3 leaves {@code /} as is). */
    static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** An S3 event notification with one record, as S3 writes it into an SQS message body. */
    static String s3Notification(String bucket, String key, String eventName, int sequence) {
        return s3Notification(bucket, key, eventName, sequence, String.format("0065F3A1B2%08X", sequence));
    }

    /** An S3 event notification with the given sequencer (each deploy of a key has its own). */
    static String s3Notification(String bucket, String key, String eventName, int sequence, String sequencer) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(key));
        if (!eventName.startsWith("ObjectRemoved")) {
            object.put("size", 1024 + sequence % 4096);
            object.put("eTag", String.format("%032x", sequence * 2654435761L));
        }
        object.put("sequencer", sequencer);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", "us-east-1");
        record.put("eventTime", "2025-03-14T09:26:53.123Z");
        record.put("eventName", eventName);
        record.put("userIdentity", Map.of("principalId", "AWS:AROAEXAMPLEDEPLOYER:codepipeline"));
        record.put("requestParameters", Map.of("sourceIPAddress", "198.51.100.24"));
        record.put("responseElements", Map.of("x-amz-request-id", String.format("C3D13FE5%08X", sequence),
                "x-amz-id-2", "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"));
        record.put("s3", Map.of("s3SchemaVersion", "1.0", "configurationId", "SiteObjectChanges",
                "bucket", Map.of("name", bucket, "ownerIdentity", Map.of("principalId", "A3NL1KOZZKEXAMPLE"),
                        "arn", "arn:aws:s3:::" + bucket),
                "object", object));
        return Json.write(Map.of("Records", List.of(record)));
    }

    /** One SQS message per key, each carrying an S3 notification. */
    static List<SqsMessage> deployMessages(String prefix, List<String> keys, String eventName) {
        List<SqsMessage> messages = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String id = String.format("%s-%08d-4f50-4617-8829-3a4b5c6d7e01", prefix, i);
            // S3 gives every change of a key its own sequencer: a deploy's prefix stands for its moment
            String sequencer = String.format("%08X%08X", prefix.hashCode(), i);
            messages.add(new SqsMessage(id, "AQEB" + id, s3Notification(BUCKET, keys.get(i), eventName, i, sequencer),
                    1));
        }
        return messages;
    }

    /** The SQS event Lambda passes for {@code messages}. */
    static String sqsEvent(List<SqsMessage> messages, String queueArn) {
        List<Map<String, Object>> records = new ArrayList<>(messages.size());
        for (SqsMessage message : messages) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("attributes", Map.of("ApproximateReceiveCount", Integer.toString(message.receiveCount()),
                    "SentTimestamp", "1741944413123", "SenderId", "AROAEXAMPLES3SENDER:S3-PROD-END",
                    "ApproximateFirstReceiveTimestamp", "1741944413200"));
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", "7b270e59b47ff90a553787216d55d91d");
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", "us-east-1");
            records.add(record);
        }
        return Json.write(Map.of("Records", records));
    }

    static String sqsEvent(List<SqsMessage> messages) {
        return sqsEvent(messages, QUEUE_ARN);
    }
}
