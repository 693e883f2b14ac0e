package io.mediasuite.thumbnails.bench;

import java.util.Locale;

/** Geometric mean and worst of a series of time ratios (ours / theirs), each labelled by its case. */
final class RatioSummary {

    private double logSum;
    private int count;
    private double worst = Double.NEGATIVE_INFINITY;
    private String worstCase = "-";

    /** Adds one ratio; NaN and infinite ratios (a side not measured) are skipped. */
    void add(double ratio, String label) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio) || ratio <= 0) {
            return;
        }
        logSum += Math.log(ratio);
        count++;
        if (ratio > worst) {
            worst = ratio;
            worstCase = label;
        }
    }

    int count() {
        return count;
    }

    double geometricMean() {
        return count == 0 ? Double.NaN : Math.exp(logSum / count);
    }

    double worst() {
        return count == 0 ? Double.NaN : worst;
    }

    String worstCase() {
        return worstCase;
    }

    /** e.g. "0.93 over 12 images; worst 1.41 (photo.jpg)". */
    String describe(String unit) {
        return String.format(Locale.ROOT, "%.2f over %d %s; worst %.2f (%s)", geometricMean(), count, unit, worst(),
                worstCase);
    }
}
