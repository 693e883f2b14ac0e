package io.mediasuite.local.events;

import static io.mediasuite.local.events.SqsEventSourceTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.Jsons;
import io.mediasuite.local.emulator.Emulators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SnsSubscriptionsTest {

    private static AwsLocalClients clients;
    private static RecordingFunction recorder;

    @BeforeAll
    static void compile(@TempDir Path dir) {
        clients = new AwsLocalClients(Emulators.shared().environment());
        recorder = new RecordingFunction(dir, "FeedbackFunction");
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @Test
    void notification_shouldReachTheFunctionAsLambdaSendsIt_whenPublishedToTheTopic() throws Exception {
        // given
        String topicArn = clients.sns.createTopic(b -> b.name("events-" + UUID.randomUUID())).topicArn();
        var spec = new EventSourceSpecs.SnsSubscription("FeedbackFunction", "Events", topicArn, null);
        try (FunctionPool pool = new FunctionPool(recorder.spec, 2);
             AsyncInvoker invoker = invoker(pool, EventSourceSpecs.AsyncConfig.DEFAULT);
             SnsSubscriptions subscriptions = SnsSubscriptions.start("127.0.0.1", "stack-" + UUID.randomUUID(), clients.sns)) {
            String subscriptionArn = subscriptions.subscribe(spec, invoker);

            // when
            String messageId = clients.sns.publish(b -> b.topicArn(topicArn).subject("greeting").message("hello"))
                    .messageId();

            // then
            waitFor(() -> invoker.succeeded() == 1, 20_000);
            JsonNode record = recorder.records().stream()
                    .filter(r -> r.path("Sns").path("MessageId").asText().equals(messageId)).findFirst().orElseThrow();
            assertEquals("aws:sns", record.path("EventSource").asText());
            assertEquals("1.0", record.path("EventVersion").asText());
            assertEquals(subscriptionArn, record.path("EventSubscriptionArn").asText());
            JsonNode sns = record.path("Sns");
            assertEquals(List.of("SignatureVersion", "Timestamp", "Signature", "SigningCertUrl", "MessageId", "Message",
                    "MessageAttributes", "Type", "UnsubscribeUrl", "TopicArn", "Subject"), fieldNames(sns));
            assertEquals("Notification", sns.path("Type").asText());
            assertEquals("hello", sns.path("Message").asText());
            assertEquals("greeting", sns.path("Subject").asText());
            assertEquals(topicArn, sns.path("TopicArn").asText());
            assertTrue(sns.path("Signature").asText().length() > 10);
        }
    }

    @Test
    void failedEvent_shouldGoToTheOnFailureQueue_whenRetriesAreExhausted() throws Exception {
        // given
        String topicArn = clients.sns.createTopic(b -> b.name("events-" + UUID.randomUUID())).topicArn();
        String dlqUrl = clients.sqs.createQueue(b -> b.queueName("on-failure-" + UUID.randomUUID())).queueUrl();
        String dlqArn = clients.sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        var spec = new EventSourceSpecs.SnsSubscription("FeedbackFunction", "Events", topicArn, null);
        try (FunctionPool pool = new FunctionPool(recorder.spec, 2);
             AsyncInvoker invoker = invoker(pool, new EventSourceSpecs.AsyncConfig(2, 3600, dlqArn));
             SnsSubscriptions subscriptions = SnsSubscriptions.start("127.0.0.1", "stack-" + UUID.randomUUID(), clients.sns)) {
            subscriptions.subscribe(spec, invoker);

            // when
            clients.sns.publish(b -> b.topicArn(topicArn).message("fail-me"));

            // then
            waitFor(() -> invoker.failedEvents() == 1, 20_000);
            List<Message> dead = clients.sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(2)).messages();
            assertEquals(1, dead.size());
            JsonNode record = Jsons.MAPPER.readTree(dead.getFirst().body());
            assertEquals("1.0", record.path("version").asText());
            assertEquals("RetriesExhausted", record.path("requestContext").path("condition").asText());
            assertEquals(3, record.path("requestContext").path("approximateInvokeCount").asInt());
            assertEquals("fail-me", record.path("requestPayload").path("Records").get(0).path("Sns").path("Message").asText());
            assertEquals("Unhandled", record.path("responseContext").path("functionError").asText());
            assertEquals("asked to fail", record.path("responsePayload").path("errorMessage").asText());
        }
    }

    @Test
    void subscribe_shouldReplaceTheStaleSubscription_whenARunStartsAgain() throws Exception {
        // given a first run that was never closed (killed)
        String topicArn = clients.sns.createTopic(b -> b.name("events-" + UUID.randomUUID())).topicArn();
        String stack = "stack-" + UUID.randomUUID();
        var spec = new EventSourceSpecs.SnsSubscription("FeedbackFunction", "Events", topicArn, null);
        try (FunctionPool pool = new FunctionPool(recorder.spec, 2);
             AsyncInvoker invoker = invoker(pool, EventSourceSpecs.AsyncConfig.DEFAULT)) {
            SnsSubscriptions killed = SnsSubscriptions.start("127.0.0.1", stack, clients.sns);
            killed.subscribe(spec, invoker);

            // when
            try (SnsSubscriptions second = SnsSubscriptions.start("127.0.0.1", stack, clients.sns)) {
                String arn = second.subscribe(spec, invoker);

                // then
                assertEquals(List.of(arn), subscriptionArns(topicArn));
            }
            assertEquals(List.of(), subscriptionArns(topicArn), "close() unsubscribes");
        }
    }

    private static List<String> subscriptionArns(String topicArn) {
        return clients.sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions().stream()
                .map(s -> s.subscriptionArn()).toList();
    }

    private static AsyncInvoker invoker(FunctionPool pool, EventSourceSpecs.AsyncConfig config) {
        return new AsyncInvoker(pool, config, "arn:aws:lambda:us-east-1:123456789012:function:FeedbackFunction",
                clients.sqs, arn -> clients.sqs.getQueueUrl(b -> b.queueName(arn.substring(arn.lastIndexOf(':') + 1)))
                        .queueUrl(), List.of(Duration.ofMillis(200)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
