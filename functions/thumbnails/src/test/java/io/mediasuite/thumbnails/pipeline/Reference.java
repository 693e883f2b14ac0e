package io.mediasuite.thumbnails.pipeline;

import java.awt.image.BufferedImage;

/**
 * The yardstick for resampling quality: an exact area-averaging downscale in double precision of a fully decoded
 * image (every source pixel weighted by the fraction of it inside each output pixel), and PSNR between images.
 */
final class Reference {

    private Reference() {
    }

    /** Exact box-filter reduction of the whole of {@code source} to {@code w x h}; result is packed RGB. */
    static int[] areaAverage(BufferedImage source, int w, int h) {
        int sw = source.getWidth();
        int sh = source.getHeight();
        double[][] columns = new double[3][sh * w];
        int[] row = new int[sw];
        double fx = (double) sw / w;
        for (int y = 0; y < sh; y++) {
            source.getRGB(0, y, sw, 1, row, 0, sw);
            for (int i = 0; i < w; i++) {
                double a = i * fx;
                double b = (i + 1) * fx;
                double[] sum = new double[3];
                for (int x = (int) Math.floor(a); x < Math.min(sw, Math.ceil(b)); x++) {
                    double weight = Math.min(b, x + 1) - Math.max(a, x);
                    int p = row[x];
                    sum[0] += weight * ((p >> 16) & 0xFF);
                    sum[1] += weight * ((p >> 8) & 0xFF);
                    sum[2] += weight * (p & 0xFF);
                }
                for (int c = 0; c < 3; c++) {
                    columns[c][y * w + i] = sum[c] / fx;
                }
            }
        }
        double fy = (double) sh / h;
        int[] out = new int[w * h];
        for (int j = 0; j < h; j++) {
            double a = j * fy;
            double b = (j + 1) * fy;
            for (int i = 0; i < w; i++) {
                int packed = 0;
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int y = (int) Math.floor(a); y < Math.min(sh, Math.ceil(b)); y++) {
                        sum += (Math.min(b, y + 1) - Math.max(a, y)) * columns[c][y * w + i];
                    }
                    int v = (int) Math.round(sum / fy);
                    packed = (packed << 8) | Math.max(0, Math.min(255, v));
                }
                out[j * w + i] = packed;
            }
        }
        return out;
    }

    /** Packed RGB of a decoded thumbnail. */
    static int[] rgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[w * h];
        image.getRGB(0, 0, w, h, out, 0, w);
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    /** Peak signal-to-noise ratio in dB over the three channels. */
    static double psnr(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
        }
        double squared = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = ((a[i] >> shift) & 0xFF) - ((b[i] >> shift) & 0xFF);
                squared += d * d;
            }
        }
        double mse = squared / (a.length * 3.0);
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
