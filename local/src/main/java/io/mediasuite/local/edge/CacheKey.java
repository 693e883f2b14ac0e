package io.mediasuite.local.edge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's cache key under a cache policy: the URI path, plus only the query strings, headers and cookies the
 * policy names, plus the normalised Accept-Encoding when the policy caches compressed objects. The same values are
 * what reaches the origin.
 *
 * @param uri            path, and {@code ?query} of the query strings in the key (what invalidations match)
 * @param acceptEncoding normalised Accept-Encoding: {@code br,gzip}, {@code gzip}, {@code br} or empty
 */
record CacheKey(String key, String uri, String acceptEncoding, String rawQuery, Map<String, List<String>> headers,
                String cookieHeader) {

    static CacheKey of(CachePolicy policy, ViewerRequest request) {
        List<String> query = new ArrayList<>();
        request.query.forEach((name, values) -> {
            if (policy.queryStrings().includes(ViewerRequest.decode(name))) {
                values.forEach(value -> query.add(value == null ? name : name + "=" + value));
            }
        });
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers.forEach((name, values) -> {
            if (policy.headers().includes(name)) {
                headers.put(name, values);
            }
        });
        List<String> cookies = new ArrayList<>();
        request.cookies.forEach((name, values) -> {
            if (policy.cookies().includes(name)) {
                values.forEach(value -> cookies.add(name + "=" + value));
            }
        });
        String encoding = policy.gzip() || policy.brotli()
                ? normalizeAcceptEncoding(request.header("accept-encoding"), policy.gzip(), policy.brotli()) : "";
        String rawQuery = query.isEmpty() ? null : String.join("&", query);
        String uri = request.uri + (rawQuery == null ? "" : "?" + rawQuery);
        String key = uri + "\n" + headers + "\n" + cookies + "\n" + encoding;
        return new CacheKey(key, uri, encoding, rawQuery, headers, cookies.isEmpty() ? null : String.join("; ", cookies));
    }

    /**
     * CloudFront's Accept-Encoding normalisation: only {@code gzip} and {@code br} count, each when the policy
     * enables it; a viewer that accepts neither has no Accept-Encoding in the key.
     */
    static String normalizeAcceptEncoding(String header, boolean gzip, boolean brotli) {
        if (header == null) {
            return "";
        }
        boolean hasGzip = false;
        boolean hasBr = false;
        for (String token : header.split(",")) {
            String[] parts = token.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean refused = parts.length > 1 && parts[1].replace(" ", "").matches("q=0(\\.0*)?");
            hasGzip |= gzip && coding.equals("gzip") && !refused;
            hasBr |= brotli && coding.equals("br") && !refused;
        }
        return hasBr && hasGzip ? "br,gzip" : hasBr ? "br" : hasGzip ? "gzip" : "";
    }

    /** The request the edge sends the origin for this key (with {@code extra} headers, e.g. validators). */
    Origins.Request originRequest(String method, ViewerRequest request, Map<String, List<String>> extra) {
        Map<String, List<String>> forwarded = new LinkedHashMap<>(headers);
        if (!acceptEncoding.isEmpty()) {
            forwarded.put("accept-encoding", List.of(acceptEncoding));
        }
        if (cookieHeader != null) {
            forwarded.put("cookie", List.of(cookieHeader));
        }
        forwarded.put("user-agent", List.of("Amazon CloudFront"));
        forwarded.put("x-forwarded-for", List.of(request.viewerIp));
        forwarded.putAll(extra);
        forwarded.remove("host");
        return new Origins.Request(method, request.uri, rawQuery, forwarded, request.body);
    }
}
