package io.mediasuite.thumbnails.pipeline;

import io.mediasuite.thumbnails.pipeline.resample.PlaneReducer;
import io.mediasuite.common.ApiException;
import io.mediasuite.common.Log;
import io.mediasuite.thumbnails.pipeline.colour.ColourConverter;
import io.mediasuite.thumbnails.pipeline.colour.ColourKind;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegDecoder;
import io.mediasuite.thumbnails.pipeline.jpeg.JpegHeader;
import io.mediasuite.thumbnails.pipeline.png.PngDecoder;
import javax.imageio.ImageIO;

/**
 * Source bytes to thumbnail bytes, as small steps in the spirit of imgproxy's processing chain:
 *
 * <ol>
 *   <li><b>guard</b> ({@link SourceGuard}): format by signature, dimensions from the header, pixel limit - before
 *       any pixel exists;</li>
 *   <li><b>plan</b> ({@link ResizePlan}): output size and source region for the mode, in stored coordinates
 *       (the box is transposed for EXIF orientations 5-8), never upscaling;</li>
 *   <li><b>budget</b> ({@link DecodeBudget}): what the decoder path will allocate and work through, from the
 *       header and the plan; over the bounds is a 413 before decoding;</li>
 *   <li><b>decode + scale</b>: fused, because that is where the time goes. {@link JpegDecoder} decodes at 1/2,
 *       1/4 or 1/8 scale in the DCT domain and {@link PngDecoder} streams rows; both feed {@link PlaneReducer}s
 *       (a box pre-shrink, then Lanczos3, as libvips) so no full-size image is ever allocated.
 *       {@link ImageIoDecoder} (JDK + TwelveMonkeys) handles everything else;</li>
 *   <li><b>colour</b> ({@link ColourConverter}): YCbCr / CMYK / embedded ICC to sRGB, alpha un-premultiplied;</li>
 *   <li><b>orient</b> ({@link Orientation}): EXIF orientation applied, none left in the output;</li>
 *   <li><b>encode</b> ({@link ThumbnailEncoder}).</li>
 * </ol>
 *
 * <p>A YCbCr JPEG without a colour profile to apply, into a baseline JPEG, skips colour: its planes go from the
 * decoder (chroma resampled straight to 4:2:0 size) to the encoder, oriented plane by plane.
 *
 * <p>Colour and orientation run on the reduced image: they are per-pixel maps (or permutations), so doing them
 * on output pixels is the same result for a fraction of the work. Thread-safe; build one per function instance.
 */
public final class ThumbnailPipeline {

    static {
        // ImageIO's default disk cache makes every stream read go through a temp file: 10-40 % slower JPEG reads,
        // 60-110 % slower PNG, and /tmp I/O in Lambda. The pipeline never needs it.
        ImageIO.setUseCache(false);
    }

    private final SourceGuard guard;
    private final DecodeBudget budget;
    private final ThumbnailEncoder encoder;

    public ThumbnailPipeline(long maxPixels, int jpegQuality, boolean progressive) {
        this(maxPixels, DecodeBudget.DEFAULT_MAX_BYTES, jpegQuality, progressive);
    }

    /** With a ceiling of {@code maxDecodeBytes} on what one render's decoder may allocate. */
    public ThumbnailPipeline(long maxPixels, long maxDecodeBytes, int jpegQuality, boolean progressive) {
        this(maxPixels, maxDecodeBytes, jpegQuality, progressive, ThumbnailEncoder.DEFAULT_WEBP_QUALITY);
    }

    /** The default decode budget, and libwebp's lossy quality (1-100) for clients that accept WebP. */
    public ThumbnailPipeline(long maxPixels, int jpegQuality, boolean progressive, int webpQuality) {
        this(maxPixels, DecodeBudget.DEFAULT_MAX_BYTES, jpegQuality, progressive, webpQuality);
    }

    /** As above, with an explicit decode budget. */
    public ThumbnailPipeline(long maxPixels, long maxDecodeBytes, int jpegQuality, boolean progressive,
                             int webpQuality) {
        this.guard = new SourceGuard(maxPixels);
        this.budget = new DecodeBudget(maxDecodeBytes);
        this.encoder = new ThumbnailEncoder(jpegQuality, progressive, webpQuality);
    }

    /** The guard step alone: header facts, or a 413/415 {@link ApiException}. */
    public SourceInfo inspect(byte[] source) {
        return guard.inspect(source);
    }

    /** Renders a thumbnail fitting (or covering) {@code boxWidth x boxHeight}; 0 leaves that side free. */
    public Thumbnail render(byte[] source, int boxWidth, int boxHeight, FitMode mode, Deadline deadline) {
        return render(source, boxWidth, boxHeight, mode, false, deadline);
    }

    /**
     * As {@link #render(byte[], int, int, FitMode, Deadline)}; with {@code webp} (the client accepts it) the output
     * is WebP whatever the source family, alpha included.
     */
    public Thumbnail render(byte[] source, int boxWidth, int boxHeight, FitMode mode, boolean webp,
                            Deadline deadline) {
        SourceInfo info = guard.inspect(source);
        ResizePlan planarPlan = webp || !planarJpeg(info) ? null
                : ResizePlan.of(info.width(), info.height(), info.orientation(), boxWidth, boxHeight, mode);
        if (planarPlan != null && planarFits(planarPlan, info.orientation())) {
            ResizePlan plan = planarPlan;
            budget.checkFirstPath(info, plan);
            ReducedImage reduced = decode(source, info, plan, deadline, true);
            deadline.check();
            if (reduced.halfChroma()) {
                return planarThumbnail(reduced, info.orientation());
            }
            if (reduced.kind() == ColourKind.RGB && reduced.alpha() == null) {
                return rgbThumbnail(reduced, info.orientation());
            }
            return encoded(info, Orientation.apply(toSrgb(reduced), info.orientation()), webp);
        }
        return encoded(info, pixels(source, info, boxWidth, boxHeight, mode, deadline), webp);
    }

    /**
     * A YCbCr JPEG without a colour profile to apply, into a baseline JPEG: the decoder resamples chroma straight
     * to the thumbnail's 4:2:0 size and the encoder takes the planes as they are, skipping YCbCr to RGB, RGB back
     * to YCbCr and the 2x2 chroma averaging. The decoder declines (and returns RGB) where it converts colour
     * before resampling ({@code JpegDecoder.convertsColourFirst}): every file but 4:2:2 and 4:4:0 ones below full
     * scale and unusual samplings.
     */
    private boolean planarJpeg(SourceInfo info) {
        if (info.format() != ImageFormat.JPEG || !encoder.encodesPlanarJpeg()) {
            return false;
        }
        JpegHeader header = (JpegHeader) info.header();
        return header.fastPathSupported() && header.colourKind() == ColourKind.YCBCR
                && !ColourConverter.convertsProfile(header.icc());
    }

    /**
     * Whether the planar path suits the output size: under 4 pixels on a side, a half-size chroma sample is
     * centred well past the region, so such slivers take the RGB path. (Odd sides that the orientation reverses
     * are handled by the decoder, which puts the chroma overhang where the flip moves it to the end.)
     */
    static boolean planarFits(ResizePlan plan, int orientation) {
        return plan.outWidth() >= 4 && plan.outHeight() >= 4;
    }

    private Thumbnail planarThumbnail(ReducedImage reduced, int orientation) {
        RasterImage y = oriented(reduced.planes()[0], reduced.width(), reduced.height(), orientation);
        int chromaWidth = (reduced.width() + 1) / 2;
        int chromaHeight = (reduced.height() + 1) / 2;
        RasterImage cb = oriented(reduced.planes()[1], chromaWidth, chromaHeight, orientation);
        RasterImage cr = oriented(reduced.planes()[2], chromaWidth, chromaHeight, orientation);
        byte[] bytes = encoder.encodeYcc(y.width(), y.height(), y.pixels(), cb.pixels(), cr.pixels());
        return new Thumbnail(bytes, OutputFormat.JPEG, y.width(), y.height());
    }

    /**
     * The same JPEG from R, G and B planes (a JPEG decoded colour first, with no profile to apply): each plane
     * oriented, then encoded as planes, so the pixels are never interleaved for the encoder to spread apart again.
     */
    private Thumbnail rgbThumbnail(ReducedImage reduced, int orientation) {
        RasterImage r = oriented(reduced.planes()[0], reduced.width(), reduced.height(), orientation);
        RasterImage g = oriented(reduced.planes()[1], reduced.width(), reduced.height(), orientation);
        RasterImage b = oriented(reduced.planes()[2], reduced.width(), reduced.height(), orientation);
        byte[] bytes = encoder.encodeRgb(r.width(), r.height(), r.pixels(), g.pixels(), b.pixels());
        return new Thumbnail(bytes, OutputFormat.JPEG, r.width(), r.height());
    }

    /** One plane, {@code width x height}, turned upright. */
    private static RasterImage oriented(byte[] plane, int width, int height, int orientation) {
        return Orientation.apply(new RasterImage(width, height, 1, plane), orientation);
    }

    private Thumbnail encoded(SourceInfo info, RasterImage pixels, boolean webp) {
        // A thumbnail WebP cannot hold (over 16 383 pixels a side) is answered in the source's format: the client
        // accepts that too, and the response's Content-Type says which it got.
        OutputFormat format = webp && WebpEncoder.fits(pixels.width(), pixels.height()) ? OutputFormat.WEBP
                : OutputFormat.forSource(info.format(), pixels.hasAlpha());
        byte[] bytes = encoder.encode(pixels, format);
        return new Thumbnail(bytes, format, pixels.width(), pixels.height());
    }

    /** Every step but the encoder: the thumbnail's sRGB pixels (for quality measurements). */
    public RasterImage pixels(byte[] source, int boxWidth, int boxHeight, FitMode mode, Deadline deadline) {
        return pixels(source, guard.inspect(source), boxWidth, boxHeight, mode, deadline);
    }

    private RasterImage pixels(byte[] source, SourceInfo info, int boxWidth, int boxHeight, FitMode mode,
                               Deadline deadline) {
        ResizePlan plan = ResizePlan.of(info.width(), info.height(), info.orientation(), boxWidth, boxHeight, mode);
        budget.checkFirstPath(info, plan);
        ReducedImage reduced = decode(source, info, plan, deadline, false);
        deadline.check();
        return Orientation.apply(toSrgb(reduced), info.orientation());
    }

    private static RasterImage toSrgb(ReducedImage reduced) {
        try {
            return ColourConverter.toSrgb(reduced);
        } catch (UnsupportedImageException e) {
            throw new ApiException(ApiException.Kind.UNSUPPORTED_MEDIA_TYPE, e.getMessage(), e);
        }
    }

    private ReducedImage decode(byte[] source, SourceInfo info, ResizePlan plan, Deadline deadline,
                                boolean halfChroma) {
        try {
            try {
                return switch (info.format()) {
                    case JPEG -> JpegDecoder.decode(source, (JpegHeader) info.header(), plan, budget, deadline,
                            halfChroma);
                    case PNG -> PngDecoder.decode(source, (PngDecoder.Header) info.header(), plan, deadline);
                    default -> throw new UnsupportedImageException("no fast decoder for " + info.format());
                };
            } catch (UnsupportedImageException e) {
                Log.debug("fast decoder declined, using ImageIO", "format", info.format().name(),
                        "reason", e.getMessage());
                budget.checkImageIo(info, plan);
                return ImageIoDecoder.decode(source, info, plan, deadline);
            }
        } catch (ApiException e) {
            throw e;
        } catch (CorruptImageException e) {
            throw ImageRefusal.CORRUPT.exception(e.getMessage(), e);
        } catch (UnsupportedImageException e) {
            throw ImageRefusal.UNSUPPORTED.exception(e.getMessage(), e);
        } catch (RuntimeException e) {
            // A decoder tripping over hostile bytes (an index out of range, an ImageIO internal error) is a bad
            // image, not a server fault: 415, with the detail in the log only. Our own decoders validate what
            // they read and should never get here; the fuzz test counts these.
            Log.warn("decoder failed outside its validation", "format", info.format().name(),
                    "error", e.toString());
            throw ImageRefusal.CORRUPT.exception("decoder failed: " + e, e);
        }
    }
}
