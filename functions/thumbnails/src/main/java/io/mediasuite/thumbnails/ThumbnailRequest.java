package io.mediasuite.thumbnails;

import io.mediasuite.common.ApiException;
import io.mediasuite.thumbnails.pipeline.FitMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed thumbnail URL. The grammar, after the path's first {@code thumb} segment:
 *
 * <pre>
 *   {prefix/}thumb/[s/{signature}/][cover/]{width}/{height}/{name}   ->   original key {prefix/}{name}
 * </pre>
 *
 * <p>So {@code a/b/thumb/400/300/c.png} is {@code a/b/c.png} fitted inside 400x300 (the seed's form), and
 * {@code a/b/thumb/cover/400/300/c.png} fills 400x300 exactly, cropping around the centre. The mode lives in the
 * path, not a query string, so CloudFront's {@code *}{@code /thumb/*} behaviour caches every variant without
 * forwarding query strings, and it cannot be confused with a key: a key segment after {@code thumb} would have to
 * be a number. Numbers must be canonical (no sign, no leading zero) so one thumbnail has exactly one URL and one
 * cache entry. Key segments use a conservative alphabet ({@code A-Z a-z 0-9 . _ - ~ ! $ ' ( ) + , ; = : @}); empty,
 * {@code .} and {@code ..} segments, percent signs (double encoding), backslashes and control characters are
 * refused, so no URL can name anything outside the prefix it appears to.
 */
public record ThumbnailRequest(String originalKey, ThumbnailSize size, FitMode mode, boolean signed,
                               String canonicalPath) {

    static final int MAX_PATH_LENGTH = 1024;

    /**
     * Parses and authorizes {@code path} (with or without a leading slash): unsigned URLs must use an allowed
     * size; signed URLs must carry a valid signature and stay within the signed size bound.
     */
    public static ThumbnailRequest parse(String path, ThumbnailConfig config, UrlSigner signer) {
        if (path == null) {
            throw ApiException.invalid("path", "is required");
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty() || p.length() > MAX_PATH_LENGTH) {
            throw ApiException.invalid("path", "must be 1 to " + MAX_PATH_LENGTH + " characters");
        }
        String[] segments = p.split("/", -1);
        for (String segment : segments) {
            checkSegment(segment);
        }
        int thumb = -1;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals("thumb")) {
                thumb = i;
                break;
            }
        }
        if (thumb < 0) {
            throw ApiException.invalid("path", "must contain a thumb/{width}/{height}/ segment");
        }
        int i = thumb + 1;
        String signature = null;
        if (i + 1 < segments.length && segments[i].equals("s")) {
            signature = segments[i + 1];
            i += 2;
        }
        FitMode mode = FitMode.INSIDE;
        if (i < segments.length && segments[i].equals("cover")) {
            mode = FitMode.COVER;
            i++;
        }
        if (i + 2 >= segments.length) {
            throw ApiException.invalid("path", "must be {prefix/}thumb/[cover/]{width}/{height}/{name}");
        }
        int width = dimension(segments[i], "width");
        int height = dimension(segments[i + 1], "height");
        if (width == 0 && height == 0) {
            throw ApiException.invalid("size", "width and height cannot both be 0");
        }
        if (mode == FitMode.COVER && (width == 0 || height == 0)) {
            throw ApiException.invalid("size", "cover needs both width and height");
        }
        ThumbnailSize size = new ThumbnailSize(width, height);
        List<String> key = new ArrayList<>(List.of(segments).subList(0, thumb));
        key.addAll(List.of(segments).subList(i + 2, segments.length));
        List<String> canonical = new ArrayList<>(List.of(segments).subList(0, thumb + 1));
        if (mode == FitMode.COVER) {
            canonical.add("cover");
        }
        canonical.addAll(List.of(segments).subList(i, segments.length));
        String canonicalPath = String.join("/", canonical);

        if (signature != null) {
            if (!signer.enabled() || !signer.verify(canonicalPath, signature)) {
                throw new ApiException(ApiException.Kind.FORBIDDEN, "bad or unexpected URL signature");
            }
            if (width > config.signedMaxDimension() || height > config.signedMaxDimension()) {
                throw ApiException.invalid("size", "is larger than the largest thumbnail size");
            }
        } else if (!config.allows(size)) {
            throw ApiException.invalid("size", "is not an allowed thumbnail size");
        }
        return new ThumbnailRequest(String.join("/", key), size, mode, signature != null, canonicalPath);
    }

    private static int dimension(String text, String field) {
        boolean canonical = !text.isEmpty() && text.length() <= 5 && (text.equals("0") || text.charAt(0) != '0');
        for (int i = 0; i < text.length() && canonical; i++) {
            canonical = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        }
        if (!canonical) {
            throw ApiException.invalid(field, "must be a whole number without sign or leading zeros");
        }
        return Integer.parseInt(text);
    }

    private static void checkSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw ApiException.invalid("path", "must not contain empty, '.' or '..' segments");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "._-~!$'()+,;=:@".indexOf(c) >= 0;
            if (!ok) {
                throw ApiException.invalid("path", "contains a character outside the allowed key alphabet");
            }
        }
    }
}
