package io.mediasuite.thumbnails;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Accept headers get WebP; the CloudFront Function's test (tests/) checks the same table at the edge. */
class AcceptedFormatsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8 | true",
        "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,"
            + "image/*;q=0.8,*/*;q=0.5 | true",
        "image/webp,*/* | true",
        "IMAGE/WEBP | true",
        "image/png, image/webp ; q=0.5 | true",
        "image/webp;q=1.000 | true",
        "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5 | false",
        "*/* | false",
        "image/* | false",
        "image/webp;q=0 | false",
        "image/webp;q=0.000 | false",
        "image/webp;q=2 | false",
        "image/webp;q=abc | false",
        "image/webpx | false",
        "'' | false",
        "NULL | false",
    })
    void acceptsWebp_shouldFollowTheExplicitMediaRange(String accept, boolean expected) {
        assertEquals(expected, AcceptedFormats.acceptsWebp(accept));
    }
}
