import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;
/** First metric with the EMF library. */
public class Emf { public static void main(String[] a) throws Exception { long t=System.nanoTime();
 MetricsLogger m=new MetricsLogger(); m.setNamespace("media-suite/x"); m.putDimensions(DimensionSet.of("Service","Thumbnails","OutputFormat","jpeg"));
 m.putMetric("ThumbnailsRendered",1,Unit.COUNT); m.putMetric("RenderTime",12,Unit.MILLISECONDS); m.flush();
 System.err.println("emf_ms "+(System.nanoTime()-t)/1e6);}}
