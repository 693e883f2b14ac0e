package io.mediasuite.invalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CloudFrontPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // S3 notification key       | decoded key
            "red+flower.jpg              | red flower.jpg",
            "a%2Bb.html                  | a+b.html",
            "docs/Q%26A.html             | docs/Q&A.html",
            "%7Euser/notes.txt           | ~user/notes.txt",
            "caf%C3%A9/men%C3%BC.html    | café/menü.html",
            "%E6%97%A5%E6%9C%AC/a.html   | 日本/a.html",
            "c%23/intro.html             | c#/intro.html",
            "dt%3D2024-05-04/_SUCCESS    | dt=2024-05-04/_SUCCESS",
            "Mixed/Case.HTML             | Mixed/Case.HTML",
    })
    void decodeEventKey_shouldUndoS3FormEncoding_whenKeyIsEncoded(String encoded, String decoded) {
        // given an S3 notification key; when decoded; then
        assertEquals(decoded, CloudFrontPaths.decodeEventKey(encoded));
    }

    @Test
    void decodeEventKey_shouldReject_whenPercentSequenceIsBroken() {
        // given a key no S3 notification would carry; when / then
        assertThrows(IllegalArgumentException.class, () -> CloudFrontPaths.decodeEventKey("100%.html"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // decoded URL path           | CloudFront invalidation path
            "/red flower.jpg              | /red%20flower.jpg",
            "/a+b.html                    | /a%2Bb.html",
            "/docs/Q&A.html               | /docs/Q&A.html",
            "/~user/notes.txt             | /%7Euser/notes.txt",
            "/café/menü.html              | /caf%C3%A9/men%C3%BC.html",
            "/日本/a.html                  | /%E6%97%A5%E6%9C%AC/a.html",
            "/c#/intro.html               | /c%23/intro.html",
            "/100%.html                   | /100%25.html",
            "/what?.html                  | /what%3F.html",
            "/Mixed/Case.HTML             | /Mixed/Case.HTML",
            "/dir/                        | /dir/",
    })
    void encode_shouldEncodeNonAsciiAndUnsafeOnly_whenPathHasSpecialCharacters(String path, String expected) {
        // given a decoded path; when encoded; then only non-ASCII and RFC 1738 unsafe characters are encoded
        assertEquals(expected, CloudFrontPaths.encode(path));
    }

    @Test
    void encode_shouldEncodeEveryRfc1738UnsafeCharacter_whenPathHasThem() {
        // given / when / then
        assertEquals("/a%3Cb%3E%7Bc%7D%7Cd%5Ce%5Ef%5Bg%5D%60h%22.txt",
                CloudFrontPaths.encode("/a<b>{c}|d\\e^f[g]`h\".txt"));
    }

    @Test
    void encode_shouldLeaveReservedAndSafeCharacters_whenPathHasThem() {
        // given / when / then: encoding these would make the path miss the cached object ('+' aside: see below)
        assertEquals("/keep/!$'()%2B,;=:@-_.txt", CloudFrontPaths.encode("/keep/!$'()+,;=:@-_.txt"));
    }

    @Test
    void encode_shouldEncodeControlCharacters_whenKeyContainsThem() {
        // given a key with a tab and a newline (S3 allows them); when encoded; then
        assertEquals("/a%09b%0A.txt", CloudFrontPaths.encode("/a\tb\n.txt"));
    }

    @Test
    void encode_shouldTurnKeyWithStarIntoPrefixWildcard_whenKeyContainsStar() {
        // given a key containing '*', which CloudFront allows only as a trailing wildcard
        // when
        String path = CloudFrontPaths.encode("/img/star*burst.png");

        // then the invalidation covers the key by its prefix
        assertEquals("/img/star*", path);
        assertTrue(CloudFrontPaths.isWildcard(path));
    }

    @Test
    void encode_shouldInvalidateThePercentEncodedPlus_becausePagesLinkItSoCloudFrontCachesIt() {
        // given key "c++ guide.html" (S3 notifies "c%2B%2B+guide.html"); a literal '+' in a URL path reaches S3
        // as a space, so "/c%2B%2B%20guide.html" is the URL pages link and CloudFront caches
        String key = CloudFrontPaths.decodeEventKey("c%2B%2B+guide.html");

        // when
        String path = CloudFrontPaths.encode("/" + key);

        // then
        assertEquals("c++ guide.html", key);
        assertEquals("/c%2B%2B%20guide.html", path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/docs/./guide.html    | /docs/./guide.html",
            "/docs/../guide.html   | /docs/../guide.html",
            "/a/.hidden/../x.html  | /a/.hidden/../x.html"})
    void encode_shouldKeepDotSegmentsLiterally_whenAKeyHasThem(String path, String expected) {
        // given a key a browser cannot request as such (it removes dot segments first); when / then the literal
        // path, which only a client sending the path as is can have had cached
        assertEquals(expected, CloudFrontPaths.encode(path));
    }

    @Test
    void encode_shouldReject_whenPathDoesNotStartWithSlash() {
        // given / when / then
        assertThrows(IllegalArgumentException.class, () -> CloudFrontPaths.encode("index.html"));
    }

    @Test
    void directoryOf_shouldReturnParentWithSlash_whenGivenFileOrWildcard() {
        // given / when / then
        assertEquals("/", CloudFrontPaths.directoryOf("/index.html"));
        assertEquals("/a/b/", CloudFrontPaths.directoryOf("/a/b/c.html"));
        assertEquals("/a/", CloudFrontPaths.directoryOf("/a/*"));
        assertFalse(CloudFrontPaths.isWildcard("/a/b.html"));
    }
}
