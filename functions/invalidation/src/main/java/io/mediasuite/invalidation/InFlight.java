package io.mediasuite.invalidation;

import java.time.Instant;
import java.util.Optional;

/**
 * Invalidations in progress on one distribution, as counted against CloudFront's in-flight limits.
 *
 * @param files        file paths in progress
 * @param wildcards    wildcard paths in progress
 * @param invalidations invalidations in progress
 * @param oldest       creation time of the oldest one in progress, if any
 * @param known        false when they could not be read: the limits are then found out by CreateInvalidation
 */
public record InFlight(int files, int wildcards, int invalidations, Optional<Instant> oldest, boolean known) {

    public static final InFlight NONE = new InFlight(0, 0, 0, Optional.empty(), true);
    public static final InFlight UNKNOWN = new InFlight(0, 0, 0, Optional.empty(), false);
}
