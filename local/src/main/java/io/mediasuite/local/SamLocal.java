package io.mediasuite.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import io.mediasuite.local.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code java -jar local/target/sam-local.jar invoke|start-api|start-lambda ...}: the Docker-free stand-in for
 * {@code sam local invoke}, {@code sam local start-api} and {@code sam local start-lambda}, with the same verbs
 * and flags. Both read
 * template.yaml, start DynamoDB Local and moto (unless {@code AWS_ENDPOINT_URL*} already point elsewhere),
 * create the template's resources there, and run the packaged functions in process.
 */
public final class SamLocal {

    private static final String USAGE = """
            usage: sam-local invoke [LogicalId] -e EVENT.json [--env-vars ENV.json] [-t template.yaml]
                                    [--parameter-overrides K=V ...] [--stack-name NAME]
                   sam-local start-api [--port 3000] [--api-port PORT+1] [--host 127.0.0.1] [--env-vars ENV.json]
                                    [-t template.yaml] [--parameter-overrides K=V ...] [--stack-name NAME]
                                    [--no-event-sources] [--sync-site DIR]
                     (each REST API on its own port from --api-port, in template order; --port 0: free ports;
                      the template's SQS, SNS and DynamoDB stream event sources run too, unless --no-event-sources;
                      --sync-site deploys DIR into the stack's buckets once the suite runs)
                   sam-local sync-site DIR [--stack-name NAME]
                     (deploys DIR into the buckets of the suite start-api runs: only files that changed)
                   sam-local start-lambda [--port 3001] [--host 127.0.0.1] [--env-vars ENV.json] [-t template.yaml]
                                    [--parameter-overrides K=V ...] [--stack-name NAME]
            Build the functions first: ./mvnw -q package -DskipTests""";

    private SamLocal() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        // Function logs, emulator chatter and our own banner go to stderr; stdout carries only the response.
        System.setOut(System.err);
        int status;
        try {
            status = run(args, stdout);
        } catch (UsageException e) {
            if (e.getMessage().isEmpty()) {
                System.err.println(USAGE);
                status = 0;
            } else {
                System.err.println("sam-local: " + e.getMessage() + " (sam-local --help shows the usage)");
                status = 2;
            }
        } catch (IllegalArgumentException | IllegalStateException | LocalLambda.FunctionInitException e) {
            System.err.println("sam-local: " + e.getMessage());
            status = 1;
        } catch (Exception | Error e) {
            // Not a mistake we anticipated: still one line, and still an exit (System.exit below also ends the
            // non-daemon HTTP threads of the in-process stand-ins, and the shutdown hooks stop the emulators).
            System.err.println("sam-local: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream stdout) throws Exception {
        Options options = Options.parse(args);
        if (!List.of("invoke", "start-api", "start-lambda", "sync-site").contains(options.command)) {
            throw new UsageException("unknown command " + options.command);
        }
        Path template = options.template.toAbsolutePath().normalize();
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("no template at " + template + " (name another with -t)");
        }
        if (options.command.equals("sync-site")) {
            return syncSite(template.getParent(), options);
        }
        // Everything the user gave is checked before an emulator starts: a mistake then costs no start-up time
        // and leaves nothing running.
        if (options.syncSite != null && !Files.isDirectory(options.syncSite)) {
            throw new IllegalArgumentException("--sync-site: no folder " + options.syncSite.toAbsolutePath());
        }
        SamTemplate parsed = SamTemplate.load(template);
        EnvVarsFile envVars = EnvVarsFile.read(options.envVars);
        String functionId = null;
        byte[] event = null;
        int edgePort = options.port == Options.DEFAULT_PORT ? 3000 : options.port;
        int apiPort = options.apiPort != Options.DEFAULT_PORT ? options.apiPort : edgePort == 0 ? 0 : edgePort + 1;
        int lambdaPort = options.port == Options.DEFAULT_PORT ? 3001 : options.port;
        switch (options.command) {
            case "invoke" -> {
                functionId = functionToInvoke(parsed.functions(), options.functionId);
                event = readEvent(options.event);
            }
            case "start-api" -> {
                requireFree(options.host, edgePort, "the local CloudFront edge", "--port");
                List<String> apis = LocalSuite.apiIds(parsed);
                for (int i = 0; i < apis.size() && apiPort != 0; i++) {
                    requireFree(options.host, apiPort + i, apis.get(i), "--api-port");
                }
            }
            default -> requireFree(options.host, lambdaPort, "the Lambda Invoke API", "--port");
        }

        Path root = template.getParent();
        long started = System.nanoTime();
        Emulators emulators = Emulators.start(root, root.resolve("target/sam-local"), System.getenv());
        long emulatorsReady = System.nanoTime();
        onExit(emulators::close);
        System.err.println("sam-local: service endpoints");
        // CloudFront is not moto's: the functions call the stack's in-process CloudFront API, printed below.
        emulators.describe().forEach((service, line) -> {
            if (!service.equals("CLOUDFRONT")) {
                System.err.printf("  %-10s %s%n", service, line);
            }
        });
        LocalCloud cloud = LocalCloud.start(template, emulators, options.stackName, options.parameters);
        System.err.printf("  %-10s %s (in process: the stack's CloudFront API)%n", "CLOUDFRONT", cloud.cloudFront().endpoint());
        System.err.printf("sam-local: emulators ready in %d ms, template resources in %d ms%n",
                (emulatorsReady - started) / 1_000_000, (System.nanoTime() - emulatorsReady) / 1_000_000);

        return switch (options.command) {
            case "invoke" -> invoke(cloud, envVars, functionId, event, stdout);
            case "start-api" -> startApi(cloud, envVars, options.host, edgePort, apiPort, options.eventSources, root,
                    options.syncSite);
            default -> startLambda(cloud, envVars, options.host, lambdaPort);
        };
    }

    private static String functionToInvoke(List<String> functions, String requested) {
        if (requested == null) {
            if (functions.size() != 1) {
                throw new UsageException("name the function to invoke: one of " + functions);
            }
            return functions.getFirst();
        }
        if (!functions.contains(requested)) {
            throw new IllegalArgumentException("no function " + requested + " in the template; functions: "
                    + String.join(", ", functions));
        }
        return requested;
    }

    /** The event file's bytes (stdin for {@code -}), refused unless it holds a JSON document, as Lambda does. */
    private static byte[] readEvent(Path file) throws IOException {
        if (file == null) {
            throw new UsageException("invoke needs an event: -e EVENT.json");
        }
        boolean stdin = file.toString().equals("-");
        if (!stdin && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no event file at " + file.toAbsolutePath());
        }
        byte[] event = stdin ? System.in.readAllBytes() : Files.readAllBytes(file);
        String source = stdin ? "the event on stdin" : "event file " + file;
        try {
            JsonNode parsed = Jsons.MAPPER.readTree(event);
            if (parsed == null || parsed.isMissingNode()) {
                throw new IllegalArgumentException(source + " is empty: Lambda events are JSON documents");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ")");
        }
        return event;
    }

    /**
     * Fails with one line when {@code port} cannot be listened on, before anything starts. The servers still
     * report a port taken in between (see {@link PortTakenException}).
     */
    private static void requireFree(String host, int port, String what, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException taken) {
            throw new PortTakenException(what, host, port, option);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " for " + what + ": "
                    + e.getMessage());
        }
    }

    private static int invoke(LocalCloud cloud, EnvVarsFile envVars, String functionId, byte[] event,
                              PrintStream stdout) {
        try (LocalLambda lambda = LocalLambda.load(envVars.apply(cloud.function(functionId)))) {
            System.err.printf("sam-local: %s initialised in %d ms%n", functionId, lambda.initMillis());
            try {
                byte[] response = lambda.invoke(event);
                stdout.println(new String(response, StandardCharsets.UTF_8));
                return 0;
            } catch (LocalLambda.FunctionErrorException e) {
                stdout.println(new String(e.payload(), StandardCharsets.UTF_8));
                return 1;
            }
        }
    }

    /** What to stop when the JVM exits, last registered first (the suite before the emulators it uses). */
    private static final java.util.Deque<Runnable> ON_EXIT = new java.util.concurrent.ConcurrentLinkedDeque<>();

    static {
        // One hook, not one per resource: the JVM runs hooks concurrently, and the pollers and subscriptions of a
        // suite stopped after its emulators would print connection errors on every Ctrl+C.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Runnable stop = ON_EXIT.pollFirst(); stop != null; stop = ON_EXIT.pollFirst()) {
                try {
                    stop.run();
                } catch (RuntimeException e) {
                    System.err.println("sam-local: stopping: " + e.getMessage());
                }
            }
        }, "sam-local-stop"));
    }

    private static void onExit(Runnable stop) {
        ON_EXIT.addFirst(stop);
    }

    private static int startApi(LocalCloud cloud, EnvVarsFile envVars, String host, int edgePort, int apiPort,
                                boolean eventSources, Path root, Path syncSite) throws InterruptedException {
        LocalSuite suite = LocalSuite.start(cloud, envVars, host, edgePort, apiPort, eventSources);
        Path stateFile = SuiteEndpoints.file(root, cloud.stackName());
        LocalMetricsReporter metrics = LocalMetricsReporter.start(stateFile.resolveSibling("metrics.json"), 10);
        onExit(() -> {
            metrics.close();
            try {
                Files.deleteIfExists(stateFile);
            } catch (IOException ignored) {
                // a stale file names a dead pid; readers ignore it
            }
            suite.close();
        });
        SuiteEndpoints.of(suite).write(stateFile);
        if (syncSite != null) {
            Map<String, String> env = cloud.emulators().environment();
            try (S3Client s3 = SiteSync.s3Client(URI.create(env.get("AWS_ENDPOINT_URL_S3")), env.get("AWS_REGION"), env)) {
                report(syncSite, new SiteSync(s3, cloud.physicalId("SiteBucket"), cloud.physicalId("ImagesBucket"))
                        .sync(syncSite));
            }
        }
        System.err.println("sam-local: serving the template's REST APIs, each at its own base URL (Ctrl+C to stop)");
        suite.describe().forEach(line -> System.err.println("  " + line));
        System.err.println("sam-local: state in " + stateFile);
        System.err.println("sam-local: ready: " + (suite.edgeEndpoint() == null ? ""
                : "open " + suite.edgeEndpoint() + "/ (the local CloudFront edge), ")
                + String.join(", ", suite.apiEndpoints().entrySet().stream()
                .map(api -> api.getKey() + " " + api.getValue()).toList()));
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * {@code sync-site DIR}: deploys DIR into the buckets of the suite {@code start-api} runs for the stack, found
     * through its state file, without starting anything.
     */
    private static int syncSite(Path root, Options options) {
        if (options.functionId == null) {
            throw new UsageException("sync-site needs the site folder: sync-site DIR");
        }
        Path dir = Path.of(options.functionId);
        Path stateFile = SuiteEndpoints.file(root, options.stackName);
        SuiteEndpoints suite = SuiteEndpoints.readLive(stateFile).orElseThrow(() -> new IllegalStateException(
                "no suite of stack " + options.stackName + " is running (no live " + root.relativize(stateFile)
                        + "): start one with start-api, or name its --stack-name"));
        URI s3Endpoint = suite.services().get("S3");
        Map<String, String> resources = suite.resources() == null ? Map.of() : suite.resources();
        if (s3Endpoint == null || !resources.containsKey("SiteBucket") || !resources.containsKey("ImagesBucket")) {
            throw new IllegalStateException(stateFile + " names no S3 endpoint or buckets: restart start-api");
        }
        try (S3Client s3 = SiteSync.s3Client(s3Endpoint, suite.region(), System.getenv())) {
            report(dir, new SiteSync(s3, resources.get("SiteBucket"), resources.get("ImagesBucket")).sync(dir));
        }
        return 0;
    }

    private static void report(Path dir, SiteSync.Result result) {
        result.uploads().forEach(upload -> System.err.println(upload));
        System.err.printf("sam-local: synced %s: %d uploaded, %d unchanged%n", dir, result.uploads().size(),
                result.unchanged());
    }

    private static int startLambda(LocalCloud cloud, EnvVarsFile envVars, String host, int port) throws Exception {
        Map<String, LocalLambda> loaded = new LinkedHashMap<>();
        LambdaInvokeServer server;
        try {
            server = new LambdaInvokeServer(cloud.invocationTargets(id -> {
                synchronized (loaded) {
                    return loaded.computeIfAbsent(id, fn -> LocalLambda.load(envVars.apply(cloud.function(fn))));
                }
            }), String.valueOf(cloud.resolve(Map.of("Ref", "AWS::Region"))), host, port);
        } catch (BindException taken) {
            throw new PortTakenException("the Lambda Invoke API", host, port, "--port");
        }
        server.start();
        System.err.println("sam-local: serving the Lambda Invoke API for the template's functions (Ctrl+C to stop)");
        for (String id : cloud.functionIds()) {
            System.err.println("  " + cloud.physicalId(id) + " -> " + id);
        }
        System.err.println("sam-local: ready on " + server.endpoint() + "  (aws lambda invoke --endpoint-url "
                + server.endpoint() + " --function-name NAME out.json)");
        new CountDownLatch(1).await();
        return 0;
    }

    private static final class Options {
        String command;
        /** The verb's argument: the function of {@code invoke}, the folder of {@code sync-site}. */
        String functionId;
        Path event;
        Path envVars;
        Path template;
        String host = "127.0.0.1";
        static final int DEFAULT_PORT = -1;
        int port = DEFAULT_PORT;
        int apiPort = DEFAULT_PORT;
        boolean eventSources = true;
        Path syncSite;
        String stackName = LocalCloud.DEFAULT_STACK;
        final Map<String, String> parameters = new LinkedHashMap<>();

        static Options parse(String[] args) {
            Options options = new Options();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-e", "--event" -> options.event = Path.of(value(args, ++i, arg));
                    case "-n", "--env-vars" -> options.envVars = Path.of(value(args, ++i, arg));
                    case "-t", "--template", "--template-file" -> options.template = Path.of(value(args, ++i, arg));
                    case "-p", "--port" -> options.port = port(value(args, ++i, arg), arg);
                    case "--api-port" -> options.apiPort = port(value(args, ++i, arg), arg);
                    case "--host" -> options.host = value(args, ++i, arg);
                    case "--no-event-sources" -> options.eventSources = false;
                    case "--stack-name" -> options.stackName = value(args, ++i, arg);
                    case "--sync-site" -> options.syncSite = Path.of(value(args, ++i, arg));
                    case "--parameter-overrides" -> {
                        while (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                            for (String pair : args[++i].trim().split("\\s+")) {
                                parsePair(pair, options.parameters);
                            }
                        }
                    }
                    case "-h", "--help" -> throw new UsageException("");
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new UsageException("unknown option " + arg);
                        }
                        positional.add(arg);
                    }
                }
            }
            if (positional.isEmpty()) {
                throw new UsageException("missing command: invoke, start-api, start-lambda or sync-site");
            }
            options.command = positional.get(0);
            if (positional.size() > 1) {
                options.functionId = positional.get(1);
            }
            if (options.template == null) {
                options.template = ProjectLayout.rootFrom(Path.of("")).resolve("template.yaml");
            }
            return options;
        }

        private static void parsePair(String pair, Map<String, String> into) {
            // Both SAM forms: Key=Value and ParameterKey=K,ParameterValue=V.
            if (pair.startsWith("ParameterKey=")) {
                String[] parts = pair.split(",ParameterValue=", 2);
                into.put(parts[0].substring("ParameterKey=".length()), parts.length > 1 ? parts[1] : "");
                return;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--parameter-overrides takes Key=Value pairs, got " + pair);
            }
            into.put(pair.substring(0, eq), pair.substring(eq + 1));
        }

        private static int port(String value, String option) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException notANumber) {
                // reported below with the other out-of-range values
            }
            throw new UsageException(option + " takes a port number 0-65535 (0: a free port), got " + value);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            return args[index];
        }
    }

    private static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
