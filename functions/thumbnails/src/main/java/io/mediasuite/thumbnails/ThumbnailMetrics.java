package io.mediasuite.thumbnails;

import io.mediasuite.common.Metrics;

/**
 * The thumbnail origin's business metrics (service {@code Thumbnails}); the dashboard in template.yaml charts
 * them. Refusals are counted by HTTP status, renders by output format: both small fixed sets.
 */
final class ThumbnailMetrics {

    static final String SERVICE = "Thumbnails";

    private ThumbnailMetrics() {
    }

    static void rendered(String outputFormat, long renderMillis, int outputBytes) {
        Metrics.count(SERVICE, "ThumbnailsRendered", 1, "OutputFormat", outputFormat);
        Metrics.record(SERVICE, "RenderTime", Metrics.Unit.Milliseconds, renderMillis);
        Metrics.record(SERVICE, "OutputBytes", Metrics.Unit.Bytes, outputBytes);
    }

    static void notModified() {
        Metrics.count(SERVICE, "ThumbnailsNotModified", 1);
    }

    static void refused(int status) {
        Metrics.count(SERVICE, "ThumbnailsRefused", 1, "Status", Integer.toString(status));
    }
}
