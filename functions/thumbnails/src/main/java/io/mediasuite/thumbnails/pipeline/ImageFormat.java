package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.png.PngDecoder;

/** Source formats the pipeline recognises by their magic bytes. */
public enum ImageFormat {
    JPEG, PNG, GIF, BMP;

    /** The format of {@code data}, by signature; null when it is none of the supported ones. */
    static ImageFormat sniff(byte[] data) {
        if (data.length >= 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8 && (data[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (PngDecoder.isPng(data)) {
            return PNG;
        }
        if (data.length >= 6 && data[0] == 'G' && data[1] == 'I' && data[2] == 'F' && data[3] == '8'
                && (data[4] == '7' || data[4] == '9') && data[5] == 'a') {
            return GIF;
        }
        if (data.length >= 26 && data[0] == 'B' && data[1] == 'M') {
            return BMP;
        }
        return null;
    }
}
