package io.mediasuite.thumbnails;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures over the canonical thumbnail path (the URL path without its {@code s/{signature}/}
 * segment), base64url without padding. Verification tries every configured key (current and previous, for
 * rotation) and compares in constant time, so timing reveals nothing about how much of a forged signature was
 * right.
 */
public final class UrlSigner {

    private static final String ALGORITHM = "HmacSHA256";

    private final List<byte[]> keys;

    public UrlSigner(List<byte[]> keys) {
        this.keys = List.copyOf(keys);
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The signature of {@code canonicalPath} with the first (current) key. */
    public String sign(String canonicalPath) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("no signing key configured");
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.get(0), canonicalPath));
    }

    /** Whether {@code signature} is valid for {@code canonicalPath} under any configured key. */
    public boolean verify(String canonicalPath, String signature) {
        byte[] provided;
        try {
            provided = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean valid = false;
        for (byte[] key : keys) {
            // No early exit: every key is checked, each comparison in constant time.
            valid |= MessageDigest.isEqual(mac(key, canonicalPath), provided);
        }
        return valid;
    }

    private static byte[] mac(byte[] key, String path) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(path.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
