package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.bench.Samples;
import io.mediasuite.thumbnails.pipeline.colour.ColourConverter;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import io.mediasuite.thumbnails.pipeline.png.PngDecoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times each step of {@link ThumbnailPipeline#render} on its own, for the size sweep's diagnosis of its slow cases
 * (not a test): guard + plan, decode + reduce, colour, orientation, encode. The steps are called one after the
 * other as the pipeline calls them, with the same settings, so their sum is close to a whole render; if the
 * pipeline gains a step this class must follow it (the sweep prints the sum next to the whole render's median, so a
 * gap shows).
 */
public final class PipelineStages {

    /** Stage names, in pipeline order. */
    public static final String INSPECT = "inspect+plan";
    public static final String DECODE = "decode+reduce";
    public static final String COLOUR = "colour";
    public static final String ORIENT = "orient";
    public static final String ENCODE = "encode";

    private final SourceGuard guard;
    private final DecodeBudget budget = new DecodeBudget(DecodeBudget.DEFAULT_MAX_BYTES);
    private final ThumbnailEncoder encoder;

    /** The settings of {@code new ThumbnailPipeline(maxPixels, jpegQuality, false)}. */
    public PipelineStages(long maxPixels, int jpegQuality) {
        this.guard = new SourceGuard(maxPixels);
        this.encoder = new ThumbnailEncoder(jpegQuality, false);
    }

    /**
     * Runs the pipeline's steps {@code iterations} times after {@code warmup} unmeasured runs and returns each
     * stage's samples, in pipeline order.
     */
    public Map<String, Samples> time(byte[] source, int boxWidth, int boxHeight, FitMode mode, int warmup,
                                     int iterations) {
        Map<String, Samples> stages = new LinkedHashMap<>();
        for (String stage : new String[] {INSPECT, DECODE, COLOUR, ORIENT, ENCODE}) {
            stages.put(stage, new Samples());
        }
        for (int i = 0; i < warmup + iterations; i++) {
            runOnce(source, boxWidth, boxHeight, mode, i < warmup ? null : stages);
        }
        return stages;
    }

    private void runOnce(byte[] source, int boxWidth, int boxHeight, FitMode mode, Map<String, Samples> stages) {
        Object[] held = new Object[4];
        timed(stages, INSPECT, () -> {
            SourceInfo info = guard.inspect(source);
            ResizePlan plan = ResizePlan.of(info.width(), info.height(), info.orientation(), boxWidth, boxHeight,
                    mode);
            budget.checkFirstPath(info, plan);
            held[0] = info;
            held[1] = plan;
        });
        SourceInfo info = (SourceInfo) held[0];
        ResizePlan plan = (ResizePlan) held[1];
        timed(stages, DECODE, () -> held[2] = decode(source, info, plan));
        timed(stages, COLOUR, () -> held[3] = ColourConverter.toSrgb((ReducedImage) held[2]));
        timed(stages, ORIENT, () -> held[3] = Orientation.apply((RasterImage) held[3], info.orientation()));
        RasterImage pixels = (RasterImage) held[3];
        OutputFormat format = OutputFormat.forSource(info.format(), pixels.hasAlpha());
        timed(stages, ENCODE, () -> encoder.encode(pixels, format));
    }

    private static void timed(Map<String, Samples> stages, String stage, Runnable step) {
        if (stages == null) {
            step.run();
        } else {
            stages.get(stage).time(step);
        }
    }

    /** The pipeline's decoder choice: the fast decoders, ImageIO when they decline. */
    private ReducedImage decode(byte[] source, SourceInfo info, ResizePlan plan) {
        try {
            return switch (info.format()) {
                case JPEG -> JpegDecoder.decode(source, (JpegHeader) info.header(), plan, budget, Deadline.none());
                case PNG -> PngDecoder.decode(source, (PngDecoder.Header) info.header(), plan, Deadline.none());
                default -> throw new UnsupportedImageException("no fast decoder for " + info.format());
            };
        } catch (UnsupportedImageException e) {
            return ImageIoDecoder.decode(source, info, plan, Deadline.none());
        }
    }
}
