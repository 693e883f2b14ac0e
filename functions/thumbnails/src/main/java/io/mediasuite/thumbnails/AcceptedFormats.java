package io.mediasuite.thumbnails;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads an HTTP {@code Accept} header for the one question the origin asks: may the answer be WebP?
 *
 * <p>Only an explicit {@code image/webp} with a non-zero quality counts. {@code image/*} and {@code *}{@code /*}
 * do not: old browsers send them with no WebP support (Safari before 14, IE), so wildcard-only clients get the
 * source family, as with sharp-based and imgproxy origins. The CloudFront Function {@code ThumbnailAcceptFunction}
 * in template.yaml applies the same rule at the edge; a change here is a change there.
 */
public final class AcceptedFormats {

    public static final String WEBP = "image/webp";
    private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

    private AcceptedFormats() {
    }

    /** True when {@code accept} (may be null) lists {@code image/webp} with q above 0. */
    public static boolean acceptsWebp(String accept) {
        if (accept == null || accept.length() > 4096) {
            return false; // no header, or one no browser sends: the safe default is the source family
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(WEBP)) {
                continue;
            }
            return quality(parts) > 0;
        }
        return false;
    }

    /**
     * The {@code q} parameter of a media range: 1 when absent, 0 when it is not RFC 9110's qvalue grammar (so the
     * Java and JavaScript readings of a malformed value cannot differ).
     */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() >= 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                String value = parameter.substring(2);
                return QVALUE.matcher(value).matches() ? Double.parseDouble(value) : 0;
            }
        }
        return 1;
    }
}
