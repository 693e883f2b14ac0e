package io.mediasuite.invalidation;

import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.local.LocalCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The deployed path end to end, with the resources template.yaml declares (provisioned in moto by
 * {@code LocalCloud}): objects written to the site bucket, S3's notifications in the invalidation queue, the
 * received messages handed to the function the way Lambda's SQS poller does, and the invalidation in
 * {@link CloudFrontTestServer}. Successful messages are deleted, failed ones stay, as Lambda does with
 * {@code ReportBatchItemFailures}.
 */
class SiteDeployEndToEndTest {

    private static FunctionUnderTest function;
    private static S3Client s3;
    private static SqsClient sqs;
    private static String bucket;
    private static String queueUrl;
    private static String queueArn;

    @BeforeAll
    static void start() {
        // a zero backoff base makes a retried message visible again at once, so the test sees SQS redeliver it
        // the stack's real site bucket: its notifications are what this test reads from the queue
        function = FunctionUnderTest.start(Map.of("RETRY_BASE_SECONDS", "0",
                "SITE_BUCKET", LocalCloud.shared().physicalId("SiteBucket")));
        AwsClients clients = new AwsClients(Env.of(function.environment));
        s3 = clients.build(S3Client.builder().forcePathStyle(clients.endpointOverride("S3").isPresent()), "S3");
        sqs = clients.build(SqsClient.builder(), "SQS");
        bucket = function.cloud.physicalId("SiteBucket");
        queueUrl = function.cloud.physicalId("InvalidationQueue");
        queueArn = function.cloud.attribute("InvalidationQueue", "Arn");
    }

    @AfterAll
    static void stop() {
        s3.close();
        sqs.close();
        function.close();
    }

    @BeforeEach
    void drainQueue() {
        // S3's s3:TestEvent (sent when the notification was configured) and anything an earlier test left
        List<Message> leftovers = receiveAll();
        if (!leftovers.isEmpty()) {
            assertEquals(List.of(), FunctionUnderTest.failedIds(deliver(leftovers)));
            delete(leftovers);
        }
        function.cloudFront.reset();
        function.clearLedger();
    }

    @Test
    void deploy_shouldInvalidateChangedPagesOnce_whenObjectsArePutCopiedAndDeletedInTheSiteBucket() {
        // given a deploy: pages, a hashed bundle marked immutable, awkward names, a copy and a removal
        put("index.html");
        put("blog/hello world/index.html");
        s3.putObject(b -> b.bucket(bucket).key("static/js/main.3f9a1c2b.js")
                .cacheControl("public, max-age=31536000, immutable"), RequestBody.fromString("console.log(1)"));
        put("press/Q&A + notes (2024).pdf");
        put("日本/~team.html");
        put("old.html");
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("index.html").destinationBucket(bucket)
                .destinationKey("about.html"));
        s3.deleteObject(b -> b.bucket(bucket).key("old.html"));
        List<Message> messages = receiveAll();

        // when Lambda hands the batch to the function
        JsonNode response = deliver(messages);

        // then
        assertEquals(8, messages.size());
        assertEquals(List.of(), FunctionUnderTest.failedIds(response));
        delete(messages);
        List<CloudFrontTestServer.InvalidationRecord> invalidations =
                function.cloudFront.invalidations(function.distributionId);
        assertEquals(1, invalidations.size());
        assertEquals(List.of("/", "/%E6%97%A5%E6%9C%AC/%7Eteam.html", "/about.html", "/blog/hello%20world/",
                        "/blog/hello%20world/index.html", "/index.html", "/old.html",
                        "/press/Q&A%20%2B%20notes%20(2024).pdf"),
                invalidations.getFirst().paths());
        assertEquals(List.of(), receiveAll());
    }

    @Test
    void deploy_shouldRedeliverFailedMessages_whenCloudFrontRefusesForInFlightLimits() {
        // given no room for more invalidations in flight
        function.cloudFront.limits(0, 0);
        put("pricing.html");
        List<Message> first = receiveAll();

        // when
        JsonNode refused = deliver(first);

        // then the message is reported failed, its visibility shortened by the backoff, and SQS delivers it again
        assertEquals(List.of(first.getFirst().messageId()), FunctionUnderTest.failedIds(refused));
        List<Message> again = receiveAll();
        assertEquals(List.of(first.getFirst().messageId()), again.stream().map(Message::messageId).toList());
        assertEquals("2", again.getFirst().attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

        // when the in-flight invalidations have completed
        function.cloudFront.limits(3000, 15);
        JsonNode retried = deliver(again);

        // then
        assertEquals(List.of(), FunctionUnderTest.failedIds(retried));
        delete(again);
        assertEquals(List.of("/pricing.html"),
                function.cloudFront.invalidations(function.distributionId).getFirst().paths());
    }

    @Test
    void deploy_shouldSendWaitingMessageAgainAsNew_whenItsReceiveCountNearsMaxReceiveCount() {
        // given no room in flight, and a message already received 7 times (maxReceiveCount is 10)
        function.cloudFront.limits(0, 0);
        put("launch.html");
        List<Message> received = receiveAll();
        for (int receive = 1; receive < 8; receive++) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(received.getFirst().receiptHandle())
                    .visibilityTimeout(0));
            received.clear();
            received.addAll(receiveAll());
        }
        assertEquals("8", received.getFirst().attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

        // when its 8th receive must wait again
        JsonNode response = deliver(received);

        // then it is done (Lambda deletes it) and the same body waits as a new message, receive count 1
        assertEquals(List.of(), FunctionUnderTest.failedIds(response));
        delete(received);
        List<Message> renewed = receiveAll();
        assertEquals(1, renewed.size());
        assertEquals(received.getFirst().body(), renewed.getFirst().body());
        assertEquals("1", renewed.getFirst().attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

        // when room frees up
        function.cloudFront.limits(3000, 15);
        JsonNode retried = deliver(renewed);

        // then
        assertEquals(List.of(), FunctionUnderTest.failedIds(retried));
        delete(renewed);
        assertEquals(List.of("/launch.html"), function.cloudFront.invalidations(function.distributionId).getFirst().paths());
        assertEquals(List.of(), receiveAll());
    }

    @Test
    void deploy_shouldReleasePoisonMessageAtOnce_whenBodyIsNotAnS3Event() {
        // given something that is not an S3 notification in the queue
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("definitely not an S3 event"));
        List<Message> received = receiveAll();

        // when
        JsonNode response = deliver(received);

        // then it is failed and visible again immediately, heading for the dead-letter queue
        assertEquals(List.of(received.getFirst().messageId()), FunctionUnderTest.failedIds(response));
        List<Message> again = receiveAll();
        assertEquals(1, again.size());
        delete(again);
        assertTrue(function.cloudFront.invalidations(function.distributionId).isEmpty());
    }

    private static void put(String key) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/html"), RequestBody.fromString("<p>" + key));
    }

    private static List<Message> receiveAll() {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> page = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
        }
    }

    /** Invokes the function with the SQS event Lambda would build from {@code messages}. */
    private static JsonNode deliver(List<Message> messages) {
        List<TestEvents.SqsMessage> records = messages.stream().map(m -> new TestEvents.SqsMessage(m.messageId(),
                m.receiptHandle(), m.body(), Integer.parseInt(m.attributes().getOrDefault(
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")))).toList();
        return function.invoke(TestEvents.sqsEvent(records, queueArn));
    }

    private static void delete(List<Message> messages) {
        for (Message message : messages) {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
    }
}
