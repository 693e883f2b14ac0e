import software.amazon.lambda.powertools.metrics.*;
import software.amazon.lambda.powertools.metrics.model.*;
/** First metric with Powertools. */
public class Pt { public static void main(String[] a){ long t=System.nanoTime();
 Metrics m=MetricsFactory.getMetricsInstance(); m.setNamespace("media-suite/x"); m.addDimension("OutputFormat","jpeg");
 m.addMetric("ThumbnailsRendered",1,MetricUnit.COUNT); m.addMetric("RenderTime",12,MetricUnit.MILLISECONDS); m.flush();
 System.err.println("powertools_ms "+(System.nanoTime()-t)/1e6);}}
