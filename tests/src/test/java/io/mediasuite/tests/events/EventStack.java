package io.mediasuite.tests.events;

import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import java.util.Map;

/**
 * The stack the event-driven end-to-end tests run their suites on: the project's template under a stack name of
 * its own, on the test JVM's shared emulators. Its queues, tables and topics are theirs alone, so a suite's pollers
 * never inherit work other test classes left in the shared stack (sample geo sends of any size, say), and what a
 * test counts is what it did.
 */
final class EventStack {

    static final String NAME = "events-e2e";

    private static LocalCloud cloud;

    private EventStack() {
    }

    static synchronized LocalCloud cloud() {
        if (cloud == null) {
            cloud = LocalCloud.start(ProjectLayout.root().resolve("template.yaml"), Emulators.shared(), NAME, Map.of());
        }
        return cloud;
    }
}
