package io.mediasuite.invalidation;

/**
 * Which distribution serves the objects under a key prefix, and at which URL path: with key prefix
 * {@code site/} and path prefix {@code /}, object {@code site/blog/index.html} is served as
 * {@code /blog/index.html}.
 *
 * @param keyPrefix      object key prefix, empty for the whole bucket; ends with {@code /} unless empty
 * @param distributionId the CloudFront distribution id
 * @param pathPrefix     URL path the prefix is served at; starts and ends with {@code /}
 */
public record Route(String keyPrefix, String distributionId, String pathPrefix) {

    public Route {
        if (!keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) {
            keyPrefix = keyPrefix + "/";
        }
        if (keyPrefix.startsWith("/")) {
            throw new IllegalArgumentException("key prefix must not start with '/': " + keyPrefix);
        }
        if (!pathPrefix.startsWith("/")) {
            pathPrefix = "/" + pathPrefix;
        }
        if (!pathPrefix.endsWith("/")) {
            pathPrefix = pathPrefix + "/";
        }
    }

    public boolean covers(String key) {
        return key.startsWith(keyPrefix);
    }

    /** The decoded URL path of an object this route covers. */
    public String urlPath(String key) {
        return pathPrefix + key.substring(keyPrefix.length());
    }
}
