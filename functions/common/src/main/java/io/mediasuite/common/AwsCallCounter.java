package io.mediasuite.common;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS API calls the current thread makes through clients built by {@link AwsClients} (one count per
 * call, retries excluded), so a handler can report what one request cost in calls (e.g. the device API's calls per
 * registration, whose steady state is exactly two). Counts are per thread: an invocation runs on one.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    static final AwsCallCounter INSTANCE = new AwsCallCounter();

    private static final ThreadLocal<Map<String, Integer>> CALLS = ThreadLocal.withInitial(TreeMap::new);

    private AwsCallCounter() {
    }

    /** Starts counting from zero on this thread. */
    public static void reset() {
        CALLS.get().clear();
    }

    /** Calls since the last {@link #reset()}, by service name as the SDK names it (DynamoDb, Sns, S3, ...). */
    public static Map<String, Integer> calls() {
        return Map.copyOf(CALLS.get());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        CALLS.get().merge(service == null ? "unknown" : service, 1, Integer::sum);
    }
}
