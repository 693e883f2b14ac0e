package io.mediasuite.tests.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalSuite;
import io.mediasuite.local.events.EventSourceSpecs;
import io.mediasuite.local.events.EventSources;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The template's event sources as {@code start-api} runs them: which mappings and subscriptions exist, with the
 * template's settings, and that closing the suite leaves no subscription behind. Here rather than in local/
 * because starting the suite loads the packaged functions, which the build makes after local/.
 */
class TemplateEventSourcesTest {

    @Test
    void start_shouldRunEveryEventSourceOfTheTemplate_andCloseShouldUnsubscribe() {
        // given
        LocalCloud cloud = EventStack.cloud();
        String topic = cloud.physicalId("EndpointEventsTopic");

        try (AwsLocalClients clients = new AwsLocalClients(cloud.emulators().environment())) {
            // when
            try (LocalSuite suite = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0)) {
                EventSources sources = suite.eventSources().orElseThrow();

                // then: the template's two SQS mappings with their settings, and the SNS subscription
                assertEquals(List.of("PushWorkerFunction", "InvalidationFunction"),
                        sources.queues().stream().map(q -> q.mapping().functionId()).toList());
                EventSourceSpecs.SqsMapping invalidation = sources.queues().get(1).mapping();
                assertEquals(10000, invalidation.batchSize());
                assertEquals(60, invalidation.batchingWindowSeconds());
                assertEquals(2, invalidation.maximumConcurrency());
                assertTrue(invalidation.reportBatchItemFailures());
                assertEquals(List.of("EndpointFeedbackFunction"), List.copyOf(sources.asyncInvokers().keySet()));
                assertEquals(1, httpSubscriptions(clients, topic));
                assertEquals(10, suite.pool("PushWorkerFunction").limit());
                assertTrue(suite.describe().stream().anyMatch(l -> l.contains("SNS") && l.contains("EndpointFeedbackFunction")),
                        suite.describe().toString());
            }

            // then: nothing is left to deliver to a runner that is gone
            assertEquals(0, httpSubscriptions(clients, topic));
        }
    }

    @Test
    void start_shouldRunNoEventSource_whenTurnedOff() {
        // given
        LocalCloud cloud = EventStack.cloud();

        // when
        try (LocalSuite suite = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0, false)) {
            // then
            assertTrue(suite.eventSources().isEmpty());
            assertTrue(suite.describe().contains("event sources  off (--no-event-sources)"), suite.describe().toString());
        }
    }

    private static long httpSubscriptions(AwsLocalClients clients, String topic) {
        return clients.sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().stream()
                .filter(s -> s.protocol().equals("http")).count();
    }
}
