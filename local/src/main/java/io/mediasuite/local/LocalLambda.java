package io.mediasuite.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One function's execution environment, in process: its packaged artifact (classes + lib/*.jar) in a class
 * loader of its own whose parent is the platform loader, so it sees exactly the dependencies Lambda would give
 * it and none of the runner's. Its environment from template.yaml is installed into its copy of
 * {@code io.mediasuite.common.Env} before the handler is constructed (Lambda's init phase), then each
 * {@link #invoke} calls the stream handler with a Lambda-like {@code Context}, one invocation at a time, under
 * the function's timeout.
 */
public final class LocalLambda implements FunctionInvoker, AutoCloseable {

    /** Lambda's synchronous response payload limit. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    private static final String STREAM_HANDLER = "com.amazonaws.services.lambda.runtime.RequestStreamHandler";

    private final FunctionSpec spec;
    private URLClassLoader loader;
    private Object handler;
    private Method method;
    private ExecutorService executor;
    private long initMillis;

    private LocalLambda(FunctionSpec spec) {
        this.spec = spec;
    }

    /** Loads and initialises the function (the cold start). */
    public static LocalLambda load(FunctionSpec spec) {
        LocalLambda lambda = new LocalLambda(spec);
        lambda.init();
        return lambda;
    }

    @Override
    public FunctionSpec spec() {
        return spec;
    }

    /** How long the last init (class loading + handler construction) took. */
    public long initMillis() {
        return initMillis;
    }

    private void init() {
        Path artifact = spec.artifactDir();
        if (!Files.isDirectory(artifact)) {
            throw new IllegalStateException(spec.logicalId() + ": no packaged function at " + artifact
                    + " - build first: ./mvnw -q package -DskipTests");
        }
        long start = System.nanoTime();
        loader = new URLClassLoader(spec.logicalId(), urls(artifact), ClassLoader.getPlatformClassLoader());
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "lambda-" + spec.logicalId());
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        });
        try {
            executor.submit(() -> {
                installEnvironment();
                Class<?> type = Class.forName(spec.handlerClass(), true, loader);
                Class<?> streamHandler = Class.forName(STREAM_HANDLER, false, loader);
                if (!streamHandler.isAssignableFrom(type)) {
                    throw new IllegalStateException(spec.handlerClass() + " is not a RequestStreamHandler; the local"
                            + " runner invokes stream handlers only");
                }
                Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
                method = type.getMethod(spec.handlerMethod(), InputStream.class, OutputStream.class, context);
                handler = type.getDeclaredConstructor().newInstance();
                return null;
            }).get();
        } catch (ExecutionException e) {
            close();
            throw new FunctionInitException(spec.logicalId(), unwrap(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        initMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private void installEnvironment() throws ReflectiveOperationException {
        try {
            Class<?> env = Class.forName("io.mediasuite.common.Env", true, loader);
            env.getMethod("install", Map.class).invoke(null, spec.environment());
            // The function's metrics (EMF lines) reach the runner's collector as well as its log, as CloudWatch
            // would extract them from the log Lambda ships.
            String function = spec.logicalId();
            java.util.function.Consumer<String> sink = line -> {
                System.out.println(line);
                LocalMetrics.shared().record(function, line);
            };
            Class.forName("io.mediasuite.common.Metrics", true, loader)
                    .getMethod("sink", java.util.function.Consumer.class).invoke(null, sink);
        } catch (ClassNotFoundException notOurs) {
            // A handler that does not use io.mediasuite.common reads the process environment; nothing to install.
        }
    }

    /**
     * Invokes the handler with {@code event} and returns its response payload.
     *
     * @throws FunctionErrorException when the handler throws, times out or answers more than 6 MB; its
     *                                {@link FunctionErrorException#payload()} is the error document Lambda returns
     */
    @Override
    public synchronized byte[] invoke(byte[] event) {
        if (handler == null) {
            init();
        }
        String requestId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
        Object context = context(requestId, deadline);
        Future<byte[]> result = executor.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long started = System.nanoTime();
            try {
                method.invoke(handler, new ByteArrayInputStream(event), out, context);
            } finally {
                // What Lambda would bill: the handler's run time at the function's memory size.
                LocalMetrics.shared().invoked(spec.logicalId(), spec.memoryMb(), (System.nanoTime() - started) / 1e6);
            }
            return out.toByteArray();
        });
        try {
            byte[] response = result.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
            if (response.length > MAX_RESPONSE_BYTES) {
                throw new FunctionErrorException(errorDocument("Function.ResponseSizeTooLarge",
                        "Response payload size (" + response.length + " bytes) exceeded maximum allowed payload size ("
                                + MAX_RESPONSE_BYTES + " bytes).", null));
            }
            return response;
        } catch (TimeoutException e) {
            result.cancel(true);
            // Lambda throws the environment away after a timeout; so do we.
            close();
            throw new FunctionErrorException(errorDocument("Sandbox.Timedout",
                    "Task timed out after " + spec.timeoutSeconds() + ".00 seconds", null));
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            throw new FunctionErrorException(errorDocument(cause.getClass().getName(), cause.getMessage(), cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Object context(String requestId, long deadline) {
        try {
            Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
            Class<?> loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger", false, loader);
            Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (proxy, m, args) -> {
                if (m.getName().equals("log") && args != null && args.length > 0) {
                    Object message = args[0];
                    System.err.println(message instanceof byte[] bytes
                            ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(message));
                }
                return defaultValue(m);
            });
            Map<String, String> env = spec.environment();
            String arn = "arn:aws:lambda:" + env.get("AWS_REGION") + ":123456789012:function:" + spec.functionName();
            return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, m, args) -> switch (m.getName()) {
                case "getAwsRequestId" -> requestId;
                case "getLogGroupName" -> env.get("AWS_LAMBDA_LOG_GROUP_NAME");
                case "getLogStreamName" -> env.get("AWS_LAMBDA_LOG_STREAM_NAME");
                case "getFunctionName" -> spec.functionName();
                case "getFunctionVersion" -> "$LATEST";
                case "getInvokedFunctionArn" -> arn;
                case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
                case "getMemoryLimitInMB" -> spec.memoryMb();
                case "getLogger" -> logger;
                case "toString" -> "LocalContext[" + requestId + "]";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> defaultValue(m);
            });
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(spec.logicalId() + " does not package aws-lambda-java-core", e);
        }
    }

    private static Object defaultValue(Method method) {
        Class<?> type = method.getReturnType();
        if (type == boolean.class) {
            return false;
        }
        if (type.isPrimitive() && type != void.class) {
            return 0;
        }
        return null;
    }

    /** Lambda's error document: {@code {"errorMessage", "errorType", "stackTrace"}}. */
    public static byte[] errorDocument(String type, String message, Throwable cause) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorMessage", message);
        error.put("errorType", type);
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            error.put("stackTrace", trace.toString().lines().skip(1).map(String::strip).toList());
        }
        return Jsons.write(error).getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof InvocationTargetException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static URL[] urls(Path artifact) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(artifact.toUri().toURL());
            Path lib = artifact.resolve("lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> jars = Files.list(lib)) {
                    for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(jar.toUri().toURL());
                    }
                }
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return urls.toArray(URL[]::new);
    }

    @Override
    public synchronized void close() {
        handler = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        if (loader != null) {
            forgetImageIoPlugins(loader);
            try {
                loader.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }

    /**
     * ImageIO keeps one plugin registry per JVM, and a function that scans for plugins (the thumbnail function
     * registers TwelveMonkeys') adds providers loaded by its class loader. In Lambda the JVM belongs to that one
     * function; here it does not, so the providers are removed with the function, or they would outlive its
     * closed class loader and break every later ImageIO call in the runner.
     */
    private static void forgetImageIoPlugins(ClassLoader functionLoader) {
        javax.imageio.spi.IIORegistry registry = javax.imageio.spi.IIORegistry.getDefaultInstance();
        registry.getCategories().forEachRemaining(category -> {
            List<Object> providers = new ArrayList<>();
            registry.getServiceProviders(category, false).forEachRemaining(providers::add);
            for (Object provider : providers) {
                if (provider.getClass().getClassLoader() == functionLoader) {
                    registry.deregisterServiceProvider(provider);
                }
            }
        });
    }

    /** The function failed during invocation; {@link #payload()} is Lambda's error document. */
    public static final class FunctionErrorException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient byte[] payload;

        FunctionErrorException(byte[] payload) {
            super(new String(payload, StandardCharsets.UTF_8));
            this.payload = payload;
        }

        public byte[] payload() {
            return payload.clone();
        }
    }

    /** The function could not be initialised (its init phase threw). */
    public static final class FunctionInitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FunctionInitException(String logicalId, Throwable cause) {
            super(logicalId + " failed to initialise: " + cause, cause);
        }
    }
}
