package io.mediasuite.thumbnails.pipeline.resample;

/**
 * Byte samples to ints: the step in front of the int loops that C2 vectorises (colour conversion, the kernel's
 * multiply-adds, the encoder's colour stage), which it does not vectorise itself. With the Vector API
 * ({@link VectorApi}) a vector at a time, else a sample at a time; the same ints either way.
 */
public final class SampleWidening {

    private static final boolean VECTOR = VectorApi.AVAILABLE && VectorWidening.USABLE;

    private SampleWidening() {
    }

    /** {@code to[at + i] = (from[offset + i] & 0xFF) - shift} for {@code i < count}. */
    public static void widen(byte[] from, int offset, int[] to, int at, int count, int shift) {
        if (VECTOR) {
            VectorWidening.widen(from, offset, to, at, count, shift);
            return;
        }
        for (int i = 0; i < count; i++) {
            to[at + i] = (from[offset + i] & 0xFF) - shift;
        }
    }

    /**
     * {@code to[i] += from[offset + i] & 0xFF} for {@code i < count}; {@code scratch} (at least {@code count} long)
     * takes the widened bytes on the scalar path, so that its add loop vectorises.
     */
    public static void accumulate(byte[] from, int offset, int[] to, int count, int[] scratch) {
        if (VECTOR) {
            VectorWidening.accumulate(from, offset, to, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            scratch[i] = from[offset + i] & 0xFF;
        }
        for (int i = 0; i < count; i++) {
            to[i] += scratch[i];
        }
    }
}
