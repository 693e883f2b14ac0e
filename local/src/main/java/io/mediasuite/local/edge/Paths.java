package io.mediasuite.local.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** CloudFront's two kinds of path matching: cache behaviours' path patterns, and invalidation paths. */
final class Paths {

    private static final String HEX = "0123456789ABCDEF";

    private Paths() {
    }

    /**
     * Whether a behaviour's path pattern matches a request path: {@code *} matches any run of characters
     * ({@code /} included), {@code ?} exactly one, everything else itself, case-sensitively. A leading {@code /}
     * on the pattern is optional: CloudFront treats {@code images/*.jpg} and {@code /images/*.jpg} alike.
     */
    static boolean patternMatches(String pattern, String path) {
        String p = pattern.startsWith("/") ? pattern : "/" + pattern;
        // Iterative glob with backtracking to the last star: linear in practice, no regex built per request.
        int pi = 0;
        int si = 0;
        int star = -1;
        int mark = 0;
        while (si < path.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == path.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /**
     * Whether an invalidation path covers a cached URI (path, and {@code ?query} when the cache key holds one). A
     * path ending in {@code *} covers every URI it is a prefix of; otherwise the URI must be the same. Both are
     * compared in one normal form (RFC 3986: percent escapes of unreserved characters decoded, other escapes in
     * upper case, raw characters that must be encoded encoded as UTF-8), so {@code /a%7Eb} and {@code /a~b} are one
     * object while {@code /a%2Bb} and {@code /a+b} stay two, as they are two different URLs.
     */
    static boolean invalidationCovers(String invalidationPath, String uri) {
        String target = normalize(uri);
        if (invalidationPath.endsWith("*")) {
            return target.startsWith(normalize(invalidationPath.substring(0, invalidationPath.length() - 1)));
        }
        return target.equals(normalize(invalidationPath));
    }

    /** The RFC 3986 normal form of a URI path (and query) used for comparisons. */
    static String normalize(String uri) {
        byte[] bytes = uri.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                int decoded = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
                if (unreserved(decoded)) {
                    out.append((char) decoded);
                } else {
                    out.append('%').append(HEX.charAt(decoded >> 4)).append(HEX.charAt(decoded & 15));
                }
                i += 2;
            } else if (b < 0x80 && (unreserved(b) || "/?#[]@!$&'()*+,;=:%".indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 15));
            }
        }
        return out.toString();
    }

    /** Decodes percent escapes (not {@code +}: in a path it is a plus sign), as S3 reads a key from a request path. */
    static String decodePath(String rawPath) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawPath.length());
        byte[] bytes = rawPath.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean unreserved(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static int hex(byte b) {
        return b >= '0' && b <= '9' ? b - '0' : b >= 'A' && b <= 'F' ? b - 'A' + 10 : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }
}
