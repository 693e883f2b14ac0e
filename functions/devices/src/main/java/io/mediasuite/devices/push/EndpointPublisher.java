package io.mediasuite.devices.push;

import io.mediasuite.common.Log;
import io.mediasuite.devices.Parallel;
import io.mediasuite.devices.registration.DeviceTable;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.EndpointDisabledException;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * Publishes one rendered message straight to each device's endpoint (no topic subscriptions), at most
 * {@code concurrency} calls in flight. Each publish runs on its own virtual thread: the SDK's sync client on the
 * URL-connection HTTP client blocks, and a blocked virtual thread costs almost nothing, so the bound is the
 * semaphore, not a pool size. On Java 24+ synchronized blocks in the JDK HTTP stack no longer pin carriers.
 *
 * <p>Answers SNS gives for a dead endpoint are acted on at once: EndpointDisabled marks the device disabled
 * (it leaves the geo index until the app registers again), NotFound removes the device.
 */
public final class EndpointPublisher {

    /** Failures logged per publish batch; the count covers the rest. */
    private static final int LOGGED_FAILURES = 5;

    private final SnsClient sns;
    private final DeviceTable devices;
    private final Semaphore permits;
    private final Clock clock;

    public EndpointPublisher(SnsClient sns, DeviceTable devices, int concurrency, Clock clock) {
        this.sns = sns;
        this.devices = devices;
        this.permits = new Semaphore(concurrency);
        this.clock = clock;
    }

    /** Publishes to every device and reports the outcomes (matched = the number of devices). */
    public PushCounts publishAll(List<DeviceTable.GeoDevice> targets, String message) {
        if (targets.isEmpty()) {
            return PushCounts.ZERO;
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger disabled = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Parallel.forEach(targets, permits, target -> {
            switch (publish(target, message)) {
                case SENT -> sent.incrementAndGet();
                case DISABLED -> disabled.incrementAndGet();
                case REMOVED -> removed.incrementAndGet();
                case FAILED -> {
                    if (failed.incrementAndGet() <= LOGGED_FAILURES) {
                        Log.warn("publish failed", "deviceId", target.deviceId());
                    }
                }
            }
        });
        return new PushCounts(targets.size(), sent.get(), disabled.get(), removed.get(), failed.get());
    }

    private enum Outcome { SENT, DISABLED, REMOVED, FAILED }

    private Outcome publish(DeviceTable.GeoDevice target, String message) {
        try {
            sns.publish(b -> b.targetArn(target.endpointArn()).messageStructure("json").message(message));
            return Outcome.SENT;
        } catch (EndpointDisabledException e) {
            afterDeadEndpoint(target, () -> devices.markDisabled(target.deviceId(), target.endpointArn(), clock.instant()));
            return Outcome.DISABLED;
        } catch (NotFoundException e) {
            afterDeadEndpoint(target, () -> devices.deleteIfEndpoint(target.deviceId(), target.endpointArn()));
            return Outcome.REMOVED;
        } catch (SdkException e) {
            Log.debug("publish error", "deviceId", target.deviceId(), "error", e.getClass().getSimpleName());
            return Outcome.FAILED;
        }
    }

    /**
     * Applies what SNS said to the device. A failure here must not fail the task (that would re-publish to
     * every other device of it); the next send meets the same answer and tries again.
     */
    private static void afterDeadEndpoint(DeviceTable.GeoDevice target, Runnable update) {
        try {
            update.run();
        } catch (SdkException e) {
            Log.warn("could not record a dead endpoint", "deviceId", target.deviceId(),
                    "error", e.getClass().getSimpleName());
        }
    }
}
