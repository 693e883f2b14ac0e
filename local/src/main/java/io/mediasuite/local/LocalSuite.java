package io.mediasuite.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole local suite of one stack, composed in process: every REST API of the template on its own port (as
 * API Gateway gives each API its own base URL), over the template's functions loaded once each. This is what
 * {@code sam-local start-api} runs and what end-to-end tests start; both pass port 0 or real ports.
 *
 * <p>APIs are the template's {@code AWS::Serverless::Api} resources in template order, then SAM's implicit
 * {@code ServerlessRestApi} when some {@code Api} event names no {@code RestApiId}. API number {@code i} listens on
 * {@code apiBasePort + i}, or on a free port when {@code apiBasePort} is 0.
 *
 * <p>{@link #close()} stops everything it started, in reverse order; a start that fails half way stops what it
 * had started before rethrowing.
 */
public final class LocalSuite implements AutoCloseable {

    /** SAM's name for the API it generates for {@code Api} events without a {@code RestApiId}. */
    static final String IMPLICIT_API = "ServerlessRestApi";

    private final LocalCloud cloud;
    private final String host;
    private final int edgePort;
    private final Map<String, ApiGatewayServer> apis = new LinkedHashMap<>();
    private final Map<String, LocalLambda> functions = new LinkedHashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private LocalSuite(LocalCloud cloud, String host, int edgePort) {
        this.cloud = cloud;
        this.host = host;
        this.edgePort = edgePort;
    }

    /**
     * Starts the suite of {@code cloud}'s template.
     *
     * @param envVars     SAM's {@code --env-vars} file, or null
     * @param host        the address every server binds
     * @param edgePort    the local CloudFront edge's port (0: a free one); reserved until the edge is served
     * @param apiBasePort the first API's port; the next API gets the next port (0: each a free port)
     * @throws PortTakenException when a port is already in use (nothing is left running)
     */
    public static LocalSuite start(LocalCloud cloud, Path envVars, String host, int edgePort, int apiBasePort) {
        return start(cloud, EnvVarsFile.read(envVars), host, edgePort, apiBasePort);
    }

    static LocalSuite start(LocalCloud cloud, EnvVarsFile envVars, String host, int edgePort, int apiBasePort) {
        LocalSuite suite = new LocalSuite(cloud, host, edgePort);
        try {
            suite.startApis(envVars, apiBasePort);
            return suite;
        } catch (RuntimeException | Error e) {
            suite.close();
            throw e;
        }
    }

    private void startApis(EnvVarsFile envVars, int apiBasePort) {
        for (String id : cloud.functionIds()) {
            FunctionSpec spec = envVars.apply(cloud.function(id));
            if (!spec.routes().isEmpty()) {
                LocalLambda lambda = LocalLambda.load(spec);
                started.push(lambda);
                System.err.printf("sam-local: %s initialised in %d ms%n", id, lambda.initMillis());
                functions.put(id, lambda);
            }
        }
        List<String> apiIds = apiIds();
        for (int i = 0; i < apiIds.size(); i++) {
            String apiId = apiIds.get(i);
            int port = apiBasePort == 0 ? 0 : apiBasePort + i;
            ApiGatewayServer server;
            try {
                server = new ApiGatewayServer(apiId, functions, host, port);
            } catch (BindException e) {
                throw new PortTakenException(apiId, host, port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve " + apiId + " on " + host + ":" + port, e);
            }
            started.push(server);
            server.start();
            apis.put(apiId, server);
        }
    }

    /** The template's REST APIs in template order, then the implicit API if some route uses it. */
    private List<String> apiIds() {
        List<String> ids = new ArrayList<>(cloud.template().resourcesOfType("AWS::Serverless::Api"));
        boolean implicit = functions.values().stream().flatMap(f -> f.spec().routes().stream())
                .anyMatch(route -> IMPLICIT_API.equals(route.apiId()));
        if (implicit) {
            ids.add(IMPLICIT_API);
        }
        return ids;
    }

    /** API logical id -> its base URI ({@code http://host:port}), in the order the APIs are served. */
    public Map<String, URI> apiEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        apis.forEach((id, server) -> endpoints.put(id, server.baseUri()));
        return Collections.unmodifiableMap(endpoints);
    }

    /** The server of one API (tests read its contract violations). */
    public ApiGatewayServer api(String apiId) {
        ApiGatewayServer server = apis.get(apiId);
        if (server == null) {
            throw new IllegalArgumentException("no API " + apiId + "; APIs: " + apis.keySet());
        }
        return server;
    }

    /** The port asked for the local CloudFront edge (0 when a free one is to be picked); not served yet. */
    public int edgePort() {
        return edgePort;
    }

    public LocalCloud cloud() {
        return cloud;
    }

    /** The start-up banner: each API's base URL and its routes, then the edge. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        apis.forEach((id, server) -> {
            lines.add(String.format("%-14s %s", id, server.baseUri()));
            server.describeRoutes().forEach(route -> lines.add("    " + route));
        });
        lines.add(String.format("%-14s not yet (port %s reserved for the local CloudFront edge)", "edge",
                edgePort == 0 ? "0: a free one" : Integer.toString(edgePort)));
        return lines;
    }

    /** Stops what the suite started, last started first; safe to call twice. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the local suite: " + e.getMessage(), e);
                }
            }
        }
        apis.clear();
        functions.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** A port the suite was to listen on is in use. */
    public static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String what, String host, int port) {
            super("port " + port + " on " + host + " is already in use (wanted for " + what
                    + "): stop what uses it, or pick other ports with --port / --api-port (--port 0: free ports)");
        }
    }
}
