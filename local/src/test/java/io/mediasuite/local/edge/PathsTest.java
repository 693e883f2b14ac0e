package io.mediasuite.local.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathsTest {

    @Test
    void patternMatches_shouldFollowCloudFrontsGlob_whenPatternsUseStarAndQuestionMark() {
        assertTrue(Paths.patternMatches("*/thumb/*", "/static/images/thumb/400/300/a.jpg"));
        assertTrue(Paths.patternMatches("/*/thumb/*", "/a/thumb/x"));
        assertFalse(Paths.patternMatches("*/thumb/*", "/thumb/400/300/a.jpg"), "a leading / is implied");
        assertFalse(Paths.patternMatches("*/thumb/*", "/a/Thumb/x"), "case-sensitive");
        assertTrue(Paths.patternMatches("images/*.jpg", "/images/sub/a.jpg"), "* crosses /");
        assertTrue(Paths.patternMatches("/images/?.jpg", "/images/a.jpg"));
        assertFalse(Paths.patternMatches("/images/?.jpg", "/images/ab.jpg"));
        assertTrue(Paths.patternMatches("*", "/anything"));
        assertFalse(Paths.patternMatches("/a*b*c", "/a-b-d"));
        assertTrue(Paths.patternMatches("/a*b*c", "/axxbyybzzc"));
    }

    @Test
    void invalidationCovers_shouldMatchExactAndTrailingWildcards_inOneNormalForm() {
        assertTrue(Paths.invalidationCovers("/a/b.html", "/a/b.html"));
        assertFalse(Paths.invalidationCovers("/a/b.html", "/a/B.html"));
        assertTrue(Paths.invalidationCovers("/a/*", "/a/deep/c.html"));
        assertTrue(Paths.invalidationCovers("/a*", "/about.html"));
        assertFalse(Paths.invalidationCovers("/a/b.html", "/a/b.html?v=1"), "query variants need a wildcard");
        assertTrue(Paths.invalidationCovers("/a/b.html*", "/a/b.html?v=1"));
        assertTrue(Paths.invalidationCovers("/d%20e.html", "/d%20e.html"));
        assertTrue(Paths.invalidationCovers("/a%7eb", "/a~b"), "unreserved escapes decode, hex case is free");
        assertFalse(Paths.invalidationCovers("/a+b.jpg", "/a%2Bb.jpg"), "+ and %2B are two URLs");
        assertTrue(Paths.invalidationCovers("/caf%C3%A9.html", "/café.html"));
    }

    @Test
    void decodePath_shouldDecodeEscapesButKeepPlus_whenReadingAnS3Key() {
        assertEquals("a b+c/é", Paths.decodePath("a%20b+c/%C3%A9"));
    }
}
