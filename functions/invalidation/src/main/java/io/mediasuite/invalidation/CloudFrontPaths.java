package io.mediasuite.invalidation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Turns object keys into CloudFront invalidation paths.
 *
 * <p>Two encodings meet here. S3 event notifications carry the key form-URL-encoded ({@code "red flower.jpg"}
 * arrives as {@code "red+flower.jpg"}, a literal {@code +} as {@code %2B}), so keys are decoded first. CloudFront
 * then documents its own rule for invalidation paths: percent-encode non-ASCII characters and the characters
 * RFC 1738 calls unsafe (space {@code < > " # % { } | \ ^ ~ [ ] `}), and encode nothing else, or the path no
 * longer matches the cached object and the old version stays at the edge. Case is kept: invalidation paths are
 * case-sensitive. Three characters need a decision the rule does not make:
 * <ul>
 *   <li>{@code +} is encoded as {@code %2B}: a literal {@code +} in a URL path reaches S3 as a space, so the
 *       only URL that serves a key with {@code +} is the one with {@code %2B}, which is what pages link and
 *       what CloudFront caches (it keys on the URL as requested).</li>
 *   <li>{@code ?} starts a query string in a path, so a key containing it can only be requested as {@code %3F};
 *       it is encoded.</li>
 *   <li>{@code *} is CloudFront's wildcard and is only allowed as the last character. A key containing one is
 *       invalidated as the prefix up to and including its first {@code *}: a slightly wider invalidation
 *       instead of a rejected request.</li>
 * </ul>
 * Dot segments ({@code ./}, {@code ../}) are kept as they are: browsers remove them before requesting, so such a
 * key is reachable only by clients that send the path as is, and that literal path is what would be cached.
 */
public final class CloudFrontPaths {

    /** CloudFront rejects longer invalidation paths. */
    public static final int MAX_PATH_LENGTH = 4000;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String UNSAFE = " <>\"#%{}|\\^~[]`?+";

    private CloudFrontPaths() {
    }

    /**
     * Decodes a key as S3 event notifications encode it ({@code application/x-www-form-urlencoded}: {@code +} is
     * a space, {@code %xx} a UTF-8 byte).
     *
     * @throws IllegalArgumentException when the key is not validly encoded
     */
    public static String decodeEventKey(String encodedKey) {
        return URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
    }

    /**
     * Encodes a decoded URL path (starting with {@code /}) for an invalidation batch. The result is a wildcard
     * path (ending in {@code *}) only when the path itself contains a {@code *}.
     */
    public static String encode(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an invalidation path must start with '/': " + path);
        }
        int star = path.indexOf('*');
        String literal = star < 0 ? path : path.substring(0, star);
        StringBuilder out = new StringBuilder(literal.length() + 16);
        byte[] utf8 = literal.getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            int c = b & 0xFF;
            if (c < 0x20 || c >= 0x7F || UNSAFE.indexOf(c) >= 0) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append((char) c);
            }
        }
        if (star >= 0) {
            out.append('*');
        }
        return out.toString();
    }

    /** Whether an (encoded) invalidation path is a wildcard path. */
    public static boolean isWildcard(String path) {
        return path.endsWith("*");
    }

    /** The directory part of an encoded path, ending with {@code /} ({@code "/"} for top-level files). */
    public static String directoryOf(String path) {
        return path.substring(0, path.lastIndexOf('/') + 1);
    }
}
