package io.mediasuite.local.events;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import io.mediasuite.local.FunctionPool;
import io.mediasuite.local.LocalCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event sources template.yaml declares on its functions ({@code Events} of {@code Type: SQS}, {@code SNS} and
 * {@code DynamoDB}) and their asynchronous invocation settings ({@code EventInvokeConfig}), with intrinsics
 * resolved against the local stack and Lambda's defaults filled in where the template leaves a property out.
 */
public final class EventSourceSpecs {

    private EventSourceSpecs() {
    }

    /**
     * An SQS event source mapping.
     *
     * @param maximumConcurrency {@code ScalingConfig.MaximumConcurrency}, or the function's pool limit
     */
    public record SqsMapping(String functionId, String eventName, String queueArn, int batchSize,
                             int batchingWindowSeconds, boolean reportBatchItemFailures, int maximumConcurrency) {
    }

    /** A function's subscription to a topic ({@code FilterPolicy} as JSON, or null). */
    public record SnsSubscription(String functionId, String eventName, String topicArn, String filterPolicy) {
    }

    /**
     * A DynamoDB stream event source mapping.
     *
     * @param filterPatterns         {@code FilterCriteria.Filters[].Pattern}, each a JSON document
     * @param maximumRetryAttempts   -1 for Lambda's default (retry until the record expires)
     * @param onFailureDestination   the SQS queue ARN of {@code DestinationConfig.OnFailure}, or null
     */
    public record StreamMapping(String functionId, String eventName, String tableLogicalId, String streamArn,
                                String startingPosition, int batchSize, int batchingWindowSeconds,
                                List<String> filterPatterns, boolean reportBatchItemFailures,
                                boolean bisectBatchOnFunctionError, int maximumRetryAttempts,
                                String onFailureDestination) {
    }

    /**
     * {@code EventInvokeConfig}: how Lambda handles an asynchronous invocation that fails.
     *
     * @param onFailureDestination the SQS queue ARN of {@code DestinationConfig.OnFailure}, or null
     */
    public record AsyncConfig(int maximumRetryAttempts, int maximumEventAgeSeconds, String onFailureDestination) {

        /** Lambda's defaults: two retries, six hours, no destination. */
        public static final AsyncConfig DEFAULT = new AsyncConfig(2, 21600, null);
    }

    /** Every {@code Type: SQS} event of the template's functions. */
    public static List<SqsMapping> sqs(LocalCloud cloud) {
        List<SqsMapping> mappings = new ArrayList<>();
        forEachEvent(cloud, "SQS", (functionId, name, props) -> {
            if (!enabled(cloud, props)) {
                return;
            }
            Map<String, Object> scaling = map(props.get("ScalingConfig"));
            mappings.add(new SqsMapping(functionId, name, string(cloud, props.get("Queue")),
                    integer(cloud, props.get("BatchSize"), 10), integer(cloud, props.get("MaximumBatchingWindowInSeconds"), 0),
                    reportsItemFailures(cloud, props),
                    integer(cloud, scaling.get("MaximumConcurrency"), FunctionPool.limitFor(cloud, functionId))));
        });
        return mappings;
    }

    /** Every {@code Type: SNS} event of the template's functions. */
    public static List<SnsSubscription> sns(LocalCloud cloud) {
        List<SnsSubscription> subscriptions = new ArrayList<>();
        forEachEvent(cloud, "SNS", (functionId, name, props) -> {
            Object filter = props.get("FilterPolicy");
            subscriptions.add(new SnsSubscription(functionId, name, string(cloud, props.get("Topic")),
                    filter == null ? null : io.mediasuite.local.Jsons.write(cloud.resolve(filter))));
        });
        return subscriptions;
    }

    /** Every {@code Type: DynamoDB} event of the template's functions. */
    public static List<StreamMapping> dynamoDb(LocalCloud cloud) {
        List<StreamMapping> mappings = new ArrayList<>();
        forEachEvent(cloud, "DynamoDB", (functionId, name, props) -> {
            if (!enabled(cloud, props)) {
                return;
            }
            Object stream = props.get("Stream");
            String table = stream instanceof Map<?, ?> getAtt && map(getAtt).get("Fn::GetAtt") != null
                    ? String.valueOf(attributeTarget(map(getAtt).get("Fn::GetAtt"))) : null;
            List<String> patterns = new ArrayList<>();
            for (Object filter : list(map(props.get("FilterCriteria")).get("Filters"))) {
                Object pattern = cloud.resolve(map(filter).get("Pattern"));
                patterns.add(pattern instanceof String text ? text : io.mediasuite.local.Jsons.write(pattern));
            }
            Map<String, Object> destination = map(map(props.get("DestinationConfig")).get("OnFailure"));
            mappings.add(new StreamMapping(functionId, name, table, string(cloud, stream),
                    string(cloud, props.getOrDefault("StartingPosition", "LATEST")),
                    integer(cloud, props.get("BatchSize"), 100),
                    integer(cloud, props.get("MaximumBatchingWindowInSeconds"), 0), List.copyOf(patterns),
                    reportsItemFailures(cloud, props),
                    Boolean.parseBoolean(string(cloud, props.getOrDefault("BisectBatchOnFunctionError", false))),
                    integer(cloud, props.get("MaximumRetryAttempts"), -1),
                    destination.get("Destination") == null ? null : string(cloud, destination.get("Destination"))));
        });
        return mappings;
    }

    /** The function's {@code EventInvokeConfig}, or Lambda's defaults. */
    public static AsyncConfig asyncConfig(LocalCloud cloud, String functionId) {
        Map<String, Object> config = map(cloud.template().functionProperty(functionId, "EventInvokeConfig")
                .orElse(Map.of()));
        if (config.isEmpty()) {
            return AsyncConfig.DEFAULT;
        }
        Map<String, Object> onFailure = map(map(config.get("DestinationConfig")).get("OnFailure"));
        return new AsyncConfig(integer(cloud, config.get("MaximumRetryAttempts"), 2),
                integer(cloud, config.get("MaximumEventAgeInSeconds"), 21600),
                onFailure.get("Destination") == null ? null : string(cloud, onFailure.get("Destination")));
    }

    private interface EventVisitor {
        void visit(String functionId, String eventName, Map<String, Object> properties);
    }

    private static void forEachEvent(LocalCloud cloud, String type, EventVisitor visitor) {
        for (String functionId : cloud.functionIds()) {
            Object condition = cloud.template().resource(functionId).get("Condition");
            if (condition != null && !Boolean.TRUE.equals(cloud.resolve(Map.of("Condition", condition)))) {
                continue;
            }
            map(cloud.template().properties(functionId).get("Events")).forEach((name, raw) -> {
                Map<String, Object> event = map(raw);
                if (type.equals(event.get("Type"))) {
                    visitor.visit(functionId, name, map(event.get("Properties")));
                }
            });
        }
    }

    private static Object attributeTarget(Object getAtt) {
        if (getAtt instanceof List<?> parts) {
            return parts.getFirst();
        }
        String text = String.valueOf(getAtt);
        return text.substring(0, text.indexOf('.'));
    }

    private static boolean enabled(LocalCloud cloud, Map<String, Object> props) {
        return !props.containsKey("Enabled") || Boolean.parseBoolean(string(cloud, props.get("Enabled")));
    }

    private static boolean reportsItemFailures(LocalCloud cloud, Map<String, Object> props) {
        return list(cloud.resolve(props.get("FunctionResponseTypes"))).stream()
                .anyMatch(type -> "ReportBatchItemFailures".equals(String.valueOf(type)));
    }

    private static String string(LocalCloud cloud, Object value) {
        Object resolved = cloud.resolve(value);
        return resolved == null ? null : String.valueOf(resolved);
    }

    private static int integer(LocalCloud cloud, Object value, int absent) {
        return value == null ? absent : Integer.parseInt(string(cloud, value));
    }
}
