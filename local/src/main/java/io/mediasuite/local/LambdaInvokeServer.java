package io.mediasuite.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code start-lambda}: the Lambda service's Invoke API, in process, so that code calling Lambda with the AWS SDK
 * ({@code LambdaClient.invoke}, the CLI's {@code aws lambda invoke --endpoint-url ...}) reaches the template's
 * functions running in {@link LocalLambda}s, like {@code sam local start-lambda}.
 *
 * <p>It follows the Invoke API's documented wire behaviour: {@code POST /2015-03-31/functions/{FunctionName}/invocations}
 * where FunctionName is a name, {@code name:qualifier}, a partial ARN or a full ARN, with an optional
 * {@code Qualifier} query parameter (a version or alias; it must agree with a qualifier in the name). The
 * {@code X-Amz-Invocation-Type} header chooses {@code RequestResponse} (the default: 200 and the function's
 * payload), {@code Event} (202, the function runs in the background) or {@code DryRun} (204). A function error,
 * including a failed init, is still a 200 whose {@code X-Amz-Function-Error: Unhandled} header marks the payload
 * as Lambda's error document. Service errors carry {@code x-amzn-ErrorType} and a JSON body, as the SDK
 * expects: unknown function or qualifier 404 {@code ResourceNotFoundException}, a payload over 6 MB 413
 * {@code RequestTooLargeException}, malformed requests 400 {@code InvalidParameterValueException}. Successful
 * synchronous answers carry {@code X-Amz-Executed-Version}.
 *
 * <p>Not emulated: IAM (every caller may invoke everything), {@code LogType: Tail}, client context, concurrency
 * limits and throttling.
 */
public final class LambdaInvokeServer implements AutoCloseable {

    /** Finds the function a request names; {@link Optional#empty()} when there is no such function or qualifier. */
    @FunctionalInterface
    public interface Functions {
        /**
         * @param name      the function name, without qualifier or ARN parts
         * @param qualifier the version or alias requested, or {@code null} for the unqualified function
         * @return the function and the version that runs for this qualifier
         */
        Optional<Target> find(String name, String qualifier);
    }

    /** What runs for a request: the function and the version Lambda reports as executed. */
    public record Target(LocalLambda lambda, String executedVersion) {
    }

    private static final Pattern PATH = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    // arn:partition:lambda:region:account:function:name[:qualifier], account:function:name[:qualifier], name[:qualifier]
    private static final Pattern FULL_ARN = Pattern.compile(
            "^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$]+))?$");
    private static final Pattern PARTIAL_ARN = Pattern.compile("^\\d{12}:function:([a-zA-Z0-9-_.]+)(?::([a-zA-Z0-9-_$]+))?$");
    private static final Pattern NAME = Pattern.compile("^([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$");

    private final HttpServer server;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Functions functions;
    private final String region;

    /**
     * @param functions resolves names to loaded functions
     * @param region    the region named in error messages
     */
    public LambdaInvokeServer(Functions functions, String region, String host, int port) throws IOException {
        this.functions = functions;
        this.region = region;
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    /** A server on a random loopback port, already started. */
    public static LambdaInvokeServer startOnLoopback(Functions functions, String region) throws IOException {
        LambdaInvokeServer server = new LambdaInvokeServer(functions, region, "127.0.0.1", 0);
        server.start();
        return server;
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint to give the SDK ({@code AWS_ENDPOINT_URL_LAMBDA}). */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!path.matches()) {
                error(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.getRequestURI().getPath());
                return;
            }
            if (!exchange.getRequestMethod().equalsIgnoreCase("POST")) {
                error(exchange, 405, "MethodNotAllowedException", "Invoke takes POST");
                return;
            }
            String functionName = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
            Optional<String[]> parsed = parse(functionName);
            if (parsed.isEmpty()) {
                error(exchange, 400, "InvalidParameterValueException", "1 validation error detected: Value '"
                        + functionName + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular"
                        + " expression pattern");
                return;
            }
            String name = parsed.get()[0];
            String qualifier = parsed.get()[1];
            String queryQualifier = query(exchange.getRequestURI().getRawQuery()).get("Qualifier");
            if (queryQualifier != null) {
                if (qualifier != null && !qualifier.equals(queryQualifier)) {
                    error(exchange, 400, "InvalidParameterValueException",
                            "The derived qualifier from the function name does not match the specified qualifier.");
                    return;
                }
                qualifier = queryQualifier;
            }
            if (body.length > LocalLambda.MAX_RESPONSE_BYTES) {
                error(exchange, 413, "RequestTooLargeException", "Request must be smaller than "
                        + LocalLambda.MAX_RESPONSE_BYTES + " bytes for the InvokeFunction operation");
                return;
            }
            Optional<Target> target;
            try {
                target = functions.find(name, qualifier);
            } catch (LocalLambda.FunctionInitException e) {
                // Loading the function ran its init, and the init failed: Lambda answers that as a function error.
                respond(exchange, 200, Map.of("Content-Type", "application/json", "X-Amz-Function-Error", "Unhandled"),
                        initError(e));
                return;
            }
            if (target.isEmpty()) {
                error(exchange, 404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:" + region
                        + ":123456789012:function:" + name + (qualifier == null ? "" : ":" + qualifier));
                return;
            }
            String invocationType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))
                    .orElse("RequestResponse");
            switch (invocationType) {
                case "DryRun" -> respond(exchange, 204, Map.of(), new byte[0]);
                case "Event" -> {
                    background.submit(() -> invokeQuietly(target.get(), body));
                    respond(exchange, 202, Map.of(), new byte[0]);
                }
                case "RequestResponse" -> invoke(exchange, target.get(), body);
                default -> error(exchange, 400, "InvalidParameterValueException",
                        "Unsupported invocation type " + invocationType);
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "ServiceException", "local Lambda failed: " + e);
        }
    }

    private void invoke(HttpExchange exchange, Target target, byte[] event) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amz-Executed-Version", target.executedVersion());
        byte[] payload;
        try {
            payload = target.lambda().invoke(event);
        } catch (LocalLambda.FunctionErrorException e) {
            headers.put("X-Amz-Function-Error", "Unhandled");
            payload = e.payload();
        } catch (LocalLambda.FunctionInitException e) {
            // Lambda reports a failed init of a synchronous invoke as an unhandled function error.
            headers.put("X-Amz-Function-Error", "Unhandled");
            payload = initError(e);
        }
        respond(exchange, 200, headers, payload);
    }

    private static byte[] initError(LocalLambda.FunctionInitException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return LocalLambda.errorDocument(cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
    }

    private static void invokeQuietly(Target target, byte[] event) {
        try {
            target.lambda().invoke(event);
        } catch (RuntimeException e) {
            // An asynchronous invocation's failure goes to the function's logs, not to the caller.
            System.err.println("start-lambda: async invocation failed: " + e.getMessage());
        }
    }

    /** [name, qualifier-or-null] of a FunctionName path parameter, or empty when it is not a valid form. */
    static Optional<String[]> parse(String functionName) {
        for (Pattern pattern : new Pattern[] {FULL_ARN, PARTIAL_ARN, NAME}) {
            Matcher matcher = pattern.matcher(functionName);
            if (matcher.matches()) {
                return Optional.of(new String[] {matcher.group(1), matcher.group(2)});
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("Type", status >= 500 ? "Service" : "User");
        body.put("message", message);
        respond(exchange, status, Map.of("Content-Type", "application/json", "x-amzn-ErrorType", type),
                Jsons.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        boolean empty = body.length == 0;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        background.shutdownNow();
    }
}
