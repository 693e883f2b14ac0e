package io.mediasuite.common;

import java.util.function.Supplier;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * The tracing seam: the only class that knows which tracing library is in use.
 *
 * <p>Today that is the AWS X-Ray SDK. It is switched on only when Lambda runs the function with active tracing,
 * which Lambda signals by setting {@code AWS_XRAY_DAEMON_ADDRESS}. Everywhere else (tests, the local runner) no
 * X-Ray class is even loaded, so there is no "segment not found" noise. The X-Ray SDKs reach end of support in
 * February 2027; moving to OpenTelemetry means rewriting this class and nothing else.
 */
public final class Tracing {

    private Tracing() {
    }

    /** Whether traces are recorded in this environment. */
    public static boolean enabled(Env env) {
        return env.get("AWS_XRAY_DAEMON_ADDRESS").isPresent()
                && !env.get("TRACING_DISABLED").map(Boolean::parseBoolean).orElse(false);
    }

    /** Adds the SDK tracing interceptor when tracing is enabled. */
    public static ClientOverrideConfiguration.Builder instrument(ClientOverrideConfiguration.Builder builder, Env env) {
        if (enabled(env)) {
            XRay.instrument(builder);
        }
        return builder;
    }

    /** Runs {@code work} inside a named subsegment when tracing is enabled; otherwise just runs it. */
    public static <T> T span(String name, Supplier<T> work) {
        if (!XRay.active) {
            return work.get();
        }
        return XRay.span(name, work);
    }

    /** Holder so X-Ray classes load only when tracing is on. */
    private static final class XRay {
        static volatile boolean active;

        static void instrument(ClientOverrideConfiguration.Builder builder) {
            com.amazonaws.xray.AWSXRay.getGlobalRecorder().setContextMissingStrategy(
                    new com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy());
            builder.addExecutionInterceptor(new com.amazonaws.xray.interceptors.TracingInterceptor());
            active = true;
        }

        static <T> T span(String name, Supplier<T> work) {
            var subsegment = com.amazonaws.xray.AWSXRay.beginSubsegment(name);
            try {
                return work.get();
            } catch (RuntimeException e) {
                subsegment.addException(e);
                throw e;
            } finally {
                com.amazonaws.xray.AWSXRay.endSubsegment();
            }
        }
    }
}
