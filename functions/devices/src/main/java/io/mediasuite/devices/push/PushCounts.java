package io.mediasuite.devices.push;

/**
 * What happened to the devices of one send (or one part of it).
 *
 * @param matched  devices inside the radius on a requested platform
 * @param sent     accepted by SNS
 * @param disabled SNS answered EndpointDisabled; the device was marked disabled
 * @param removed  SNS answered NotFound; the device was removed
 * @param failed   any other error (after the SDK's retries)
 */
public record PushCounts(long matched, long sent, long disabled, long removed, long failed) {

    public static final PushCounts ZERO = new PushCounts(0, 0, 0, 0, 0);

    public PushCounts plus(PushCounts other) {
        return new PushCounts(matched + other.matched, sent + other.sent, disabled + other.disabled,
                removed + other.removed, failed + other.failed);
    }
}
