package io.mediasuite.thumbnails.pipeline;

import java.awt.image.BufferedImage;

/**
 * The yardsticks for resampling quality, in double precision from a fully decoded image: an exact area-averaging
 * downscale (every source pixel weighted by the fraction of it inside each output pixel; what the pipeline's last
 * step computes), a Lanczos3 reduction (what libvips' reduce approximates; the sharpness benchmark's reference),
 * and PSNR between images.
 */
public final class Reference {

    private Reference() {
    }

    /** Exact box-filter reduction of the whole of {@code source} to {@code w x h}; result is packed RGB. */
    public static int[] areaAverage(BufferedImage source, int w, int h) {
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

    /** Separable Lanczos3 reduction of the whole of {@code source} to {@code w x h}; packed RGB. */
    public static int[] lanczos3(BufferedImage source, int w, int h) {
        int sw = source.getWidth();
        int sh = source.getHeight();
        int[] px = source.getRGB(0, 0, sw, sh, null, 0, sw);
        double[][] hx = lanczosWeights(sw, w);
        double[] tmp = new double[sh * w * 3];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < w; x++) {
                int first = (int) hx[x][0];
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    double s = 0;
                    for (int k = 1; k < hx[x].length; k++) {
                        s += hx[x][k] * ((px[y * sw + first + k - 1] >> shift) & 0xFF);
                    }
                    tmp[(y * w + x) * 3 + c] = s;
                }
            }
        }
        double[][] vy = lanczosWeights(sh, h);
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int first = (int) vy[y][0];
            for (int x = 0; x < w; x++) {
                int packed = 0;
                for (int c = 0; c < 3; c++) {
                    double s = 0;
                    for (int k = 1; k < vy[y].length; k++) {
                        s += vy[y][k] * tmp[((first + k - 1) * w + x) * 3 + c];
                    }
                    packed = (packed << 8) | (int) Math.max(0, Math.min(255, Math.round(s)));
                }
                out[y * w + x] = packed;
            }
        }
        return out;
    }

    /**
     * Per output cell of {@code size} samples reduced to {@code outCount}: {first sample, normalized weights...}
     * of a Lanczos3 stretched by the reduction (unstretched when enlarging), taps past the edges dropped.
     */
    static double[][] lanczosWeights(int size, int outCount) {
        double step = (double) size / outCount;
        double stretch = Math.max(1, step);
        double[][] result = new double[outCount][];
        for (int i = 0; i < outCount; i++) {
            double centre = (i + 0.5) * step;
            int first = Math.max(0, (int) Math.floor(centre - 3 * stretch));
            int last = Math.min(size - 1, (int) Math.ceil(centre + 3 * stretch));
            double[] w = new double[last - first + 2];
            w[0] = first;
            double sum = 0;
            for (int s = first; s <= last; s++) {
                double v = lanczos3((s + 0.5 - centre) / stretch);
                w[s - first + 1] = v;
                sum += v;
            }
            for (int k = 1; k < w.length; k++) {
                w[k] /= sum;
            }
            result[i] = w;
        }
        return result;
    }

    /** {@code sinc(x) sinc(x / 3)} on {@code |x| < 3}, else 0. */
    static double lanczos3(double x) {
        double a = Math.abs(x);
        if (a < 1e-9) {
            return 1;
        }
        if (a >= 3) {
            return 0;
        }
        double px = Math.PI * a;
        return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
    }

    /** Packed RGB of a decoded thumbnail. */
    public static int[] rgb(BufferedImage image) {
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
    public static double psnr(int[] a, int[] b) {
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

    /**
     * Mean structural similarity (Wang et al. 2004) of the BT.601 luma of two packed-RGB images of width
     * {@code w}: an 11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, over every position the window fits.
     */
    public static double ssim(int[] a, int[] b, int w) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
        }
        int h = a.length / w;
        double[] x = new double[a.length];
        double[] y = new double[a.length];
        double[] xx = new double[a.length];
        double[] yy = new double[a.length];
        double[] xy = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = luma(a[i]);
            y[i] = luma(b[i]);
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] g = new double[11];
        double total = 0;
        for (int k = 0; k < 11; k++) {
            g[k] = Math.exp(-(k - 5) * (k - 5) / (2 * 1.5 * 1.5));
            total += g[k];
        }
        for (int k = 0; k < 11; k++) {
            g[k] /= total;
        }
        double[][] m = {blur(x, w, h, g), blur(y, w, h, g), blur(xx, w, h, g), blur(yy, w, h, g), blur(xy, w, h, g)};
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double sum = 0;
        int n = 0;
        for (int r = 5; r < h - 5; r++) {
            for (int c = 5; c < w - 5; c++) {
                int i = r * w + c;
                double mx = m[0][i];
                double my = m[1][i];
                double vx = m[2][i] - mx * mx;
                double vy = m[3][i] - my * my;
                double cov = m[4][i] - mx * my;
                sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                n++;
            }
        }
        return n == 0 ? 1 : sum / n;
    }

    private static double luma(int p) {
        return 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }

    /** Separable filter with kernel {@code g} (centre at its middle), valid where it fits; elsewhere 0. */
    private static double[] blur(double[] v, int w, int h, double[] g) {
        int half = g.length / 2;
        double[] rows = new double[v.length];
        for (int r = 0; r < h; r++) {
            for (int c = half; c < w - half; c++) {
                double s = 0;
                for (int k = 0; k < g.length; k++) {
                    s += g[k] * v[r * w + c + k - half];
                }
                rows[r * w + c] = s;
            }
        }
        double[] out = new double[v.length];
        for (int r = half; r < h - half; r++) {
            for (int c = 0; c < w; c++) {
                double s = 0;
                for (int k = 0; k < g.length; k++) {
                    s += g[k] * rows[(r + k - half) * w + c];
                }
                out[r * w + c] = s;
            }
        }
        return out;
    }
}
