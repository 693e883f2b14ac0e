package io.mediasuite.thumbnails;

import java.util.Locale;

/** A thumbnail box, {@code width x height}; 0 on one side leaves that side to the aspect ratio. */
public record ThumbnailSize(int width, int height) {

    public ThumbnailSize {
        if (width < 0 || height < 0 || (width == 0 && height == 0)) {
            throw new IllegalArgumentException("a size needs at least one positive side");
        }
    }

    /** Parses {@code 400x300} (also {@code 400x0}, {@code 0x300}). */
    public static ThumbnailSize parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected WIDTHxHEIGHT, got '" + text + "'");
        }
        return new ThumbnailSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
