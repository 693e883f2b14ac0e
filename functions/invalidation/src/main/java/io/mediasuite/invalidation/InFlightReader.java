package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.Invalidation;
import software.amazon.awssdk.services.cloudfront.model.InvalidationSummary;
import software.amazon.awssdk.services.cloudfront.model.ListInvalidationsResponse;

/**
 * Reads what a distribution has in flight: ListInvalidations (newest first) for the ids in progress, then
 * GetInvalidation for their paths. An invalidation's paths never change, so they are remembered by id for the
 * life of the instance (bounded); a steady stream of batches then costs one ListInvalidations call each.
 *
 * <p>Invalidations complete in about the order they were made, so the listing stops at the first page without
 * one in progress (and after {@value #MAX_PAGES} pages at most). When the distribution cannot be read (throttled,
 * not allowed), the answer is {@link InFlight#UNKNOWN}: CreateInvalidation then says whether the limits allow it.
 */
public final class InFlightReader {

    static final int MAX_PAGES = 10;
    private static final int PAGE_SIZE = 100;
    private static final int REMEMBERED = 5_000;

    /** Paths of one invalidation, as counted against the limits. */
    private record Counts(int files, int wildcards) {
    }

    private final CloudFrontClient cloudFront;
    private final Map<String, Counts> known = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Counts> eldest) {
            return size() > REMEMBERED;
        }
    };

    public InFlightReader(CloudFrontClient cloudFront) {
        this.cloudFront = cloudFront;
    }

    public InFlight read(String distributionId) {
        try {
            return Tracing.span("CloudFront.ReadInFlight", () -> count(distributionId));
        } catch (SdkException e) {
            Log.warn("in-flight invalidations not readable; planning against the full allowance",
                    "distributionId", distributionId, "errorType", e.getClass().getSimpleName(),
                    "detail", String.valueOf(e.getMessage()));
            return InFlight.UNKNOWN;
        }
    }

    private InFlight count(String distributionId) {
        List<InvalidationSummary> inProgress = new ArrayList<>();
        String marker = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String from = marker;
            ListInvalidationsResponse response = cloudFront.listInvalidations(r -> r.distributionId(distributionId)
                    .maxItems(Integer.toString(PAGE_SIZE)).marker(from));
            List<InvalidationSummary> items = response.invalidationList().items();
            List<InvalidationSummary> running = items.stream().filter(i -> "InProgress".equals(i.status())).toList();
            inProgress.addAll(running);
            if (running.isEmpty() || !Boolean.TRUE.equals(response.invalidationList().isTruncated())) {
                break;
            }
            marker = response.invalidationList().nextMarker();
        }
        int files = 0;
        int wildcards = 0;
        Instant oldest = null;
        for (InvalidationSummary summary : inProgress) {
            Counts counts = counts(distributionId, summary.id());
            files += counts.files();
            wildcards += counts.wildcards();
            if (oldest == null || summary.createTime().isBefore(oldest)) {
                oldest = summary.createTime();
            }
        }
        return new InFlight(files, wildcards, inProgress.size(), Optional.ofNullable(oldest), true);
    }

    private Counts counts(String distributionId, String invalidationId) {
        synchronized (known) {
            Counts counts = known.get(invalidationId);
            if (counts != null) {
                return counts;
            }
        }
        Invalidation invalidation = cloudFront.getInvalidation(r -> r.distributionId(distributionId)
                .id(invalidationId)).invalidation();
        List<String> paths = invalidation.invalidationBatch().paths().items();
        int wildcards = (int) paths.stream().filter(CloudFrontPaths::isWildcard).count();
        Counts counts = new Counts(paths.size() - wildcards, wildcards);
        synchronized (known) {
            known.put(invalidationId, counts);
        }
        return counts;
    }
}
