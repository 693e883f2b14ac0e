package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3EventReaderTest {

    static JsonNode event(String file) throws Exception {
        return Json.MAPPER.readTree(TestEvents.sample(file));
    }

    @Test
    void read_shouldDecodeKey_whenDirectS3PutEvent() throws Exception {
        // given events/InvalidationFunction/s3-put.json (key "blog/caf%C3%A9+menu/index.html")
        JsonNode event = event("s3-put.json");

        // when
        S3EventReader.IncomingEvent incoming = S3EventReader.read(event);

        // then
        assertEquals(S3EventReader.Source.S3, incoming.source());
        ObjectChange change = incoming.items().getFirst().changes().getFirst();
        assertEquals("blog/café menu/index.html", change.key());
        assertEquals(ObjectChange.Kind.CREATED, change.kind());
        assertEquals("media-suite-site-local", change.bucket());
        assertTrue(incoming.items().getFirst().id().contains("0065F3A1B2C3D4E5F6"), incoming.items().getFirst().id());
    }

    @Test
    void read_shouldReportRemoval_whenObjectRemovedEvent() throws Exception {
        // given / when
        ObjectChange change = S3EventReader.read(event("s3-remove.json")).items().getFirst().changes()
                .getFirst();

        // then
        assertEquals(ObjectChange.Kind.REMOVED, change.kind());
        assertEquals("docs/old guide/Q&A.html", change.key());
    }

    @Test
    void read_shouldTreatCopyAsCreation_whenCopyObjectEvent() throws Exception {
        // given / when
        ObjectChange change = S3EventReader.read(event("s3-copy.json")).items().getFirst().changes()
                .getFirst();

        // then
        assertEquals(ObjectChange.Kind.CREATED, change.kind());
        assertEquals("ObjectCreated:Copy", change.eventName());
    }

    @Test
    void read_shouldReturnOneItemPerMessage_whenSqsBatch() throws Exception {
        // given events/InvalidationFunction/sqs-batch.json: a test event, Put, CompleteMultipartUpload, Put, Copy, Delete
        JsonNode event = event("sqs-batch.json");

        // when
        S3EventReader.IncomingEvent incoming = S3EventReader.read(event);

        // then
        assertEquals(S3EventReader.Source.SQS, incoming.source());
        assertEquals(6, incoming.items().size());
        EventItem testEvent = incoming.items().getFirst();
        assertEquals(List.of(), testEvent.changes());
        assertTrue(testEvent.poison().isEmpty());
        assertEquals(List.of("index.html", "static/js/main.3f9a1c2b.js", "press/2024 report (final) + notes.pdf",
                        "日本語/~team/index.html", "blog/c#-tips.html"),
                incoming.items().stream().skip(1).map(i -> i.changes().getFirst().key()).toList());
        EventItem.SqsDelivery delivery = incoming.items().get(1).sqs().orElseThrow();
        assertEquals(1, delivery.receiveCount());
        assertTrue(delivery.eventSourceArn().endsWith(":media-suite-local-InvalidationQueue"));
        assertEquals("0b1c2d3e-4f50-4617-8829-3a4b5c6d7e01", incoming.items().get(1).id());
        assertEquals("0b1c2d3e-4f50-4617-8829-3a4b5c6d7e01", incoming.items().get(1).changes().getFirst().sourceId());
    }

    @Test
    void read_shouldUnwrapSnsMessage_whenSnsEvent() throws Exception {
        // given / when
        S3EventReader.IncomingEvent incoming = S3EventReader.read(event("sns.json"));

        // then
        assertEquals(S3EventReader.Source.SNS, incoming.source());
        assertEquals("95df01b4-ee98-5cb9-9903-4c221d41eb5e", incoming.items().getFirst().id());
        assertEquals("products/summer sale.html", incoming.items().getFirst().changes().getFirst().key());
    }

    @Test
    void read_shouldKeepRawKey_whenEventBridgeEvent() throws Exception {
        // given an EventBridge "Object Created" event, whose key S3 does not URL-encode
        // when
        S3EventReader.IncomingEvent incoming = S3EventReader.read(event("eventbridge.json"));

        // then
        assertEquals(S3EventReader.Source.EVENTBRIDGE, incoming.source());
        ObjectChange change = incoming.items().getFirst().changes().getFirst();
        assertEquals("guides/c++ & rust/index.html", change.key());
        assertEquals("Object Created:PutObject", change.eventName());
    }

    @Test
    void read_shouldReportDeletion_whenEventBridgeObjectDeleted() {
        // given
        JsonNode event = json("""
                {"version":"0","id":"2ee9cc15-d022-99ea-1fb8-1b1bac4850f9","detail-type":"Object Deleted",
                 "source":"aws.s3","account":"123456789012","time":"2025-03-14T09:26:53Z","region":"us-east-1",
                 "resources":["arn:aws:s3:::b"],"detail":{"version":"0","bucket":{"name":"b"},
                 "object":{"key":"100%.html","sequencer":"617f0837b476e463"},"request-id":"0BH729840619AG5K",
                 "requester":"123456789012","source-ip-address":"1.2.3.4","reason":"DeleteObject",
                 "deletion-type":"Delete Marker Created"}}""");

        // when
        ObjectChange change = S3EventReader.read(event).items().getFirst().changes().getFirst();

        // then
        assertEquals(ObjectChange.Kind.REMOVED, change.kind());
        assertEquals("100%.html", change.key());
    }

    @Test
    void read_shouldUnwrapSnsEnvelope_whenSqsBodyComesFromSnsWithoutRawDelivery() {
        // given S3 -> SNS -> SQS: the SQS body is the SNS envelope, its Message the S3 event
        String s3Event = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"a+b.html\"}}}]}";
        String envelope = Json.write(java.util.Map.of("Type", "Notification", "MessageId", "m-1", "Message", s3Event));
        JsonNode event = json(Json.write(java.util.Map.of("Records", List.of(java.util.Map.of(
                "messageId", "q-1", "receiptHandle", "r", "body", envelope, "eventSource", "aws:sqs",
                "eventSourceARN", "arn:aws:sqs:us-east-1:1:q")))));

        // when
        EventItem item = S3EventReader.read(event).items().getFirst();

        // then
        assertEquals("a b.html", item.changes().getFirst().key());
    }

    @Test
    void read_shouldMarkPoisonAndKeepOthers_whenOneMessageIsUnreadable() {
        // given a batch with a good message, a non-JSON body, a JSON body of the wrong shape and a broken key
        JsonNode event = json("""
                {"Records":[
                 {"messageId":"good","receiptHandle":"r1","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q",
                  "attributes":{"ApproximateReceiveCount":"3"},
                  "body":"{\\"Records\\":[{\\"eventSource\\":\\"aws:s3\\",\\"eventName\\":\\"ObjectCreated:Put\\",\\"s3\\":{\\"bucket\\":{\\"name\\":\\"b\\"},\\"object\\":{\\"key\\":\\"a.html\\"}}}]}"},
                 {"messageId":"not-json","receiptHandle":"r2","eventSource":"aws:sqs","body":"hello"},
                 {"messageId":"wrong-shape","receiptHandle":"r3","eventSource":"aws:sqs","body":"{\\"hello\\":1}"},
                 {"messageId":"bad-key","receiptHandle":"r4","eventSource":"aws:sqs",
                  "body":"{\\"Records\\":[{\\"eventSource\\":\\"aws:s3\\",\\"eventName\\":\\"ObjectCreated:Put\\",\\"s3\\":{\\"bucket\\":{\\"name\\":\\"b\\"},\\"object\\":{\\"key\\":\\"100%.html\\"}}}]}"}
                ]}""");

        // when
        List<EventItem> items = S3EventReader.read(event).items();

        // then
        assertTrue(items.get(0).poison().isEmpty());
        assertEquals(3, items.get(0).sqs().orElseThrow().receiveCount());
        assertEquals("the message body is not JSON", items.get(1).poison().orElseThrow());
        assertEquals("the payload is not an S3 event notification", items.get(2).poison().orElseThrow());
        assertEquals("s3.object.key is not URL-encoded as S3 encodes keys", items.get(3).poison().orElseThrow());
    }

    @Test
    void read_shouldIgnoreOtherEventTypes_whenRecordIsNeitherCreationNorRemoval() {
        // given an S3 record for a tag change
        JsonNode event = json("""
                {"Records":[{"eventSource":"aws:s3","eventName":"ObjectTagging:Put",
                  "s3":{"bucket":{"name":"b"},"object":{"key":"a.html"}}}]}""");

        // when
        EventItem item = S3EventReader.read(event).items().getFirst();

        // then
        assertEquals(List.of(), item.changes());
        assertTrue(item.poison().isEmpty());
    }

    @Test
    void read_shouldReturnNoItems_whenDirectTestEvent() {
        // given / when
        S3EventReader.IncomingEvent incoming = S3EventReader.read(json(
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}"));

        // then
        assertEquals(S3EventReader.Source.S3_TEST_EVENT, incoming.source());
        assertEquals(List.of(), incoming.items());
    }

    @Test
    void read_shouldReject_whenEventHasNoKnownShape() {
        // given / when / then
        assertThrows(IllegalArgumentException.class, () -> S3EventReader.read(json("{\"hello\":\"world\"}")));
        assertThrows(IllegalArgumentException.class, () -> S3EventReader.read(json(
                "{\"Records\":[{\"eventSource\":\"aws:kinesis\"}]}")));
        assertThrows(IllegalArgumentException.class, () -> S3EventReader.read(json("[1]")));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
