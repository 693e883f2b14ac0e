/** First metric with io.mediasuite.common.Metrics. */
public class Ours { public static void main(String[] a){ long t=System.nanoTime();
 io.mediasuite.common.Metrics.count("Thumbnails","ThumbnailsRendered",1,"OutputFormat","jpeg");
 io.mediasuite.common.Metrics.record("Thumbnails","RenderTime",io.mediasuite.common.Metrics.Unit.Milliseconds,12);
 io.mediasuite.common.Metrics.flush();
 System.err.println("ours_ms "+(System.nanoTime()-t)/1e6);}}
