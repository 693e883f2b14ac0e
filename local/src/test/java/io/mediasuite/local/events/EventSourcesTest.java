package io.mediasuite.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mediasuite.local.LocalCloud;
import org.junit.jupiter.api.Test;

class EventSourcesTest {

    @Test
    void asyncConfig_shouldFollowTheTemplate_whenTheFunctionDeclaresEventInvokeConfig() {
        // given
        LocalCloud cloud = LocalCloud.shared();

        // when
        EventSourceSpecs.AsyncConfig config = EventSourceSpecs.asyncConfig(cloud, "EndpointFeedbackFunction");

        // then
        assertEquals(2, config.maximumRetryAttempts());
        assertEquals(cloud.attribute("EndpointEventsDeadLetterQueue", "Arn"), config.onFailureDestination());
        assertEquals(EventSourceSpecs.AsyncConfig.DEFAULT, EventSourceSpecs.asyncConfig(cloud, "DeviceApiFunction"));
    }
}
