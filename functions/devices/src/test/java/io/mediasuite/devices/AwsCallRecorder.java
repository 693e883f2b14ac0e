package io.mediasuite.devices;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS API calls made by the real SDK clients the handlers build themselves. Registered for every client
 * of the test JVM through the SDK's own global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors} on the test class path), so the
 * handlers under test are constructed exactly as in Lambda and still observed. One entry per API call (not per
 * retry attempt), as {@code Service.Operation}, e.g. {@code DynamoDb.GetItem}, {@code Sns.GetEndpointAttributes}.
 *
 * <p>Can also run a hook just before a chosen call is sent, once: how a test makes a competing request land
 * between another request's read and its conditional write, deterministically.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    private static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());
    private static volatile boolean recording;
    private static final AtomicReference<Hook> HOOK = new AtomicReference<>();

    private record Hook(String call, Runnable action) {
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (recording) {
            CALLS.add(call);
        }
        Hook hook = HOOK.get();
        if (hook != null && hook.call().equals(call) && HOOK.compareAndSet(hook, null)) {
            hook.action().run();
        }
    }

    /** The calls {@code work} made, in order. */
    public static List<String> record(Runnable work) {
        return record(() -> {
            work.run();
            return null;
        }, ignored -> { });
    }

    /** Runs {@code work}, hands its result to {@code result}, and returns the calls it made. */
    public static <T> List<String> record(Supplier<T> work, Consumer<T> result) {
        synchronized (CALLS) {
            CALLS.clear();
        }
        recording = true;
        T value;
        try {
            value = work.get();
        } finally {
            recording = false;
        }
        result.accept(value);
        synchronized (CALLS) {
            return List.copyOf(CALLS);
        }
    }

    /** Runs {@code action} once, on the calling thread, right before the next {@code call} is sent. */
    public static void beforeNext(String call, Runnable action) {
        HOOK.set(new Hook(call, action));
    }

    /** Drops a hook that never fired. */
    public static void clearHook() {
        HOOK.set(null);
    }
}
