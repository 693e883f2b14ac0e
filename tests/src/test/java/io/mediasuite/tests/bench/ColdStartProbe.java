package io.mediasuite.tests.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM whose class path is one function's artifact (plus this class): constructs the handler
 * (Lambda's init phase), invokes it twice with the given event, and prints one JSON line of timings. The
 * environment is the real process environment, as in Lambda. Deliberately free of dependencies so it loads
 * nothing the function would not.
 *
 * <p>Arguments: handler class, event file.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainStart = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        ClassLoader loader = ColdStartProbe.class.getClassLoader();

        long initStart = System.nanoTime();
        Class<?> type = Class.forName(args[0], true, loader);
        Object handler = type.getDeclaredConstructor().newInstance();
        long initNanos = System.nanoTime() - initStart;
        // -Dcoldstart.prime=true: also run the SnapStart priming the snapshot would hold (io.mediasuite.common.SnapStart),
        // so the first invocation below approximates the first one after a restore.
        long primeNanos = 0;
        if (Boolean.getBoolean("coldstart.prime")) {
            long primeStart = System.nanoTime();
            Class.forName("io.mediasuite.common.SnapStart", true, loader).getMethod("primeNow").invoke(null);
            primeNanos = System.nanoTime() - primeStart;
        }
        int classesAfterInit = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();

        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
        Method method = type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
        Object context = Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, m, a) -> switch (m.getName()) {
            case "getAwsRequestId" -> "cold-start-probe";
            case "getFunctionName" -> "probe";
            case "getRemainingTimeInMillis" -> 30_000;
            case "getMemoryLimitInMB" -> 1024;
            default -> null;
        });

        long firstStart = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        method.invoke(handler, new ByteArrayInputStream(event), out, context);
        long firstNanos = System.nanoTime() - firstStart;
        long firstDone = System.currentTimeMillis();

        long secondStart = System.nanoTime();
        method.invoke(handler, new ByteArrayInputStream(event), new ByteArrayOutputStream(), context);
        long secondNanos = System.nanoTime() - secondStart;

        System.out.printf("{\"jvm_to_main_ms\":%d,\"init_ms\":%.1f,\"prime_ms\":%.1f,\"first_invoke_ms\":%.1f,"
                        + "\"second_invoke_ms\":%.1f,\"jvm_to_first_response_ms\":%d,\"classes_after_init\":%d,"
                        + "\"classes_total\":%d,\"response_bytes\":%d}%n",
                mainStart - jvmStart, initNanos / 1e6, primeNanos / 1e6, firstNanos / 1e6, secondNanos / 1e6,
                firstDone - jvmStart,
                classesAfterInit, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), out.size());
    }
}
