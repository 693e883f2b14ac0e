package io.mediasuite.tests.events;

import static io.mediasuite.tests.events.SuiteClient.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalSuite;
import io.mediasuite.local.events.SqsEventSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A malformed push task in PushQueue, in one batch with real tasks: PushWorkerFunction reports it as a batch item
 * failure, the event source mapping deletes the rest of the batch, the task comes back after the visibility timeout
 * until the queue's RedrivePolicy moves it to PushDeadLetterQueue after {@code maxReceiveCount} (3) receives, and
 * the send it was queued with completes with the right counts.
 *
 * <p>The queue is filled while the suite runs without event sources, so that the first batch the mapping gathers
 * is known: the poison message and the four tasks queued after it (BatchSize 5). PushQueue's visibility timeout is
 * 1800 s in the template (six times the worker's timeout): three receives would take 90 minutes, so the test lowers
 * it to 6 s on the emulator's queue for its duration; that changes when SQS hands a message out again, not what the
 * runner does with it. (On a loaded machine a batch of tasks can take longer than that, so a task may be received
 * again before its batch is settled, as SQS's at-least-once delivery allows; the assertions hold either way.)
 */
class PoisonMessageEndToEndTest {

    /** Nuuk: no other test registers devices near it. */
    private static final double LAT = 64.1814;
    private static final double LON = -51.6941;

    @Test
    void poisonMessage_shouldReachTheDlqAfterMaxReceiveCount_whileTheRestOfItsBatchIsProcessed() throws Exception {
        LocalCloud cloud = EventStack.cloud();
        String queue = cloud.physicalId("PushQueue");
        String deadLetters = cloud.physicalId("PushDeadLetterQueue");
        String poison = "{\"poison\":\"" + UUID.randomUUID() + "\"}";
        String notificationId;
        String visibility;
        String run = UUID.randomUUID().toString().substring(0, 8);

        // given: the poison message, then a send's tasks behind it, queued while nothing consumes the queue
        try (LocalSuite quiet = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0, false);
             SuiteClient client = new SuiteClient(quiet)) {
            visibility = client.sqs.getQueueAttributes(b -> b.queueUrl(queue)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT);
            client.sqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "6")));
            // Tasks other tests left behind would join the batches; this test wants its own.
            client.sqs.purgeQueue(b -> b.queueUrl(queue));
            client.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(poison));
            for (int i = 0; i < 2; i++) {
                String deviceId = "poison-" + i + "-" + run;
                SuiteClient.Answer registered = client.register(deviceId, "APNS", EventDrivenEndToEndTest.token("APNS"),
                        LAT + 0.01 * i, LON);
                assertEquals(201, registered.status(), registered.raw());
            }
            SuiteClient.Answer accepted = client.call("POST", "/notifications", "{\"near\":{\"lat\":" + LAT
                    + ",\"lon\":" + LON + ",\"radiusKm\":5},\"message\":{\"title\":\"Ice update\",\"body\":\"Harbour open\"}}");
            assertEquals(202, accepted.status(), accepted.raw());
            notificationId = accepted.json().path("notificationId").asText();
        }

        // when: the suite runs again, with its event sources
        try (LocalSuite suite = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0, true);
             SuiteClient client = new SuiteClient(suite)) {
            try {
                SqsEventSource pushTasks = suite.eventSources().orElseThrow().queues().stream()
                        .filter(q -> q.mapping().functionId().equals("PushWorkerFunction")).findFirst().orElseThrow();
                Message[] dead = new Message[1];
                waitFor("the poison message in the dead-letter queue", () -> {
                    List<Message> received = client.sqs.receiveMessage(b -> b.queueUrl(deadLetters).waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                    received.stream().filter(m -> m.body().equals(poison)).findFirst().ifPresent(m -> dead[0] = m);
                    return dead[0] != null;
                }, Duration.ofSeconds(120));
                JsonNode[] status = new JsonNode[1];
                waitFor("the send to complete", () -> {
                    status[0] = get(client, "/notifications/" + notificationId);
                    return "COMPLETED".equals(status[0].path("status").asText());
                }, Duration.ofSeconds(60));

                // then: received maxReceiveCount times before the redrive (moto carries the source queue's receive
                // count into the dead-letter queue) ...
                String receives = dead[0].attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
                assertTrue(Integer.parseInt(receives) > 3, "received " + receives + " times in all");
                // ... while every task, the four in the poison's first batch included, was processed: each task counts
                // once (the worker marks it done), so exact counts mean every task ran
                int tasks = status[0].path("tasks").path("total").asInt();
                assertTrue(tasks > 4, "the poison's first batch held four tasks and more followed: " + status[0]);
                assertEquals(tasks, status[0].path("tasks").path("done").asInt(), status[0].toString());
                assertEquals(2, status[0].path("counts").path("matched").asInt(), status[0].toString());
                assertEquals(2, status[0].path("counts").path("sent").asInt(), status[0].toString());
                assertTrue(pushTasks.batchesInvoked() >= 2, "batches: " + pushTasks.batchesInvoked());
            } finally {
                client.sqs.setQueueAttributes(b -> b.queueUrl(queue)
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, visibility)));
            }
        }
    }

    private static JsonNode get(SuiteClient client, String path) {
        try {
            return client.call("GET", path, null).json();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
