package io.mediasuite.deployhooks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Thumbnail origin: puts a known 320x240 PNG into the images bucket under {@code pretraffic/}, asks the new
 * version for its thumbnail exactly as CloudFront would ({@code GET /pretraffic/thumb/W/H/<run>.png}), checks
 * that the answer is a base64 image that decodes and fits the requested box, then removes the fixture.
 *
 * <p>Configuration: {@code IMAGES_BUCKET}, and {@code THUMBNAIL_SIZE} ({@code WxH}, one of the sizes the
 * function serves unsigned; the template passes the first of its {@code ThumbnailSizes}).
 */
final class ThumbnailSmokeTest implements SmokeTest {

    static final String NAME = "thumbnail";
    static final String FIXTURE = "fixture-320x240.png";
    private static final Pattern SIZE = Pattern.compile("^(\\d{1,4})x(\\d{1,4})$");

    private final S3Client s3;
    private final String bucket;
    private final int width;
    private final int height;

    ThumbnailSmokeTest(S3Client s3, String bucket, int width, int height) {
        this.s3 = s3;
        this.bucket = bucket;
        this.width = width;
        this.height = height;
    }

    static ThumbnailSmokeTest from(ConfigReader config, S3Client s3) {
        String bucket = config.required("IMAGES_BUCKET");
        String size = config.required("THUMBNAIL_SIZE");
        Matcher matcher = SIZE.matcher(size);
        if (!matcher.matches() || (Integer.parseInt(matcher.group(1)) == 0 && Integer.parseInt(matcher.group(2)) == 0)) {
            throw new ConfigException("THUMBNAIL_SIZE", "must be WIDTHxHEIGHT with at most one 0, got '" + size + "'");
        }
        return new ThumbnailSmokeTest(s3, bucket, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(TargetVersion target, String runId) throws SmokeFailure {
        String name = runId + ".png";
        String key = "pretraffic/" + name;
        String path = "/pretraffic/thumb/" + width + "/" + height + "/" + name;
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/png"), RequestBody.fromBytes(fixture()));
        try {
            APIGatewayProxyResponseEvent response = target.call("GET " + path,
                    ProxyRequests.request("GET", "/{proxy+}", path, Map.of("proxy", path.substring(1)), null), 200);
            check(path, response);
        } finally {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    private void check(String path, APIGatewayProxyResponseEvent response) throws SmokeFailure {
        String contentType = header(response, "Content-Type").orElse("");
        if (!contentType.startsWith("image/")) {
            throw new SmokeFailure("GET " + path + ": Content-Type " + contentType + ", expected an image");
        }
        if (!Boolean.TRUE.equals(response.getIsBase64Encoded()) || response.getBody() == null) {
            throw new SmokeFailure("GET " + path + ": the image is not base64-encoded; API Gateway would send text");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(response.getBody())));
        } catch (IOException | IllegalArgumentException e) {
            throw new SmokeFailure("GET " + path + ": the body does not decode as an image", e);
        }
        if (image == null) {
            throw new SmokeFailure("GET " + path + ": the body is no image format ImageIO knows (" + contentType + ")");
        }
        boolean fits = image.getWidth() > 0 && image.getHeight() > 0
                && (width == 0 || image.getWidth() <= width) && (height == 0 || image.getHeight() <= height);
        if (!fits) {
            throw new SmokeFailure("GET " + path + ": got " + image.getWidth() + "x" + image.getHeight()
                    + ", which does not fit " + width + "x" + height);
        }
    }

    private static Optional<String> header(APIGatewayProxyResponseEvent response, String name) {
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst();
    }

    static byte[] fixture() {
        try (InputStream in = ThumbnailSmokeTest.class.getResourceAsStream(FIXTURE)) {
            if (in == null) {
                throw new IllegalStateException(FIXTURE + " is not packaged");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
