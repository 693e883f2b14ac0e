package io.mediasuite.local;

import static io.mediasuite.local.template.SamTemplate.map;

import io.mediasuite.local.events.EventSources;
import io.mediasuite.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import io.mediasuite.local.edge.LocalEdge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole local suite of one stack, composed in process: every REST API of the template on its own port (as
 * API Gateway gives each API its own base URL), every event source of the template ({@link EventSources}: SQS
 * mappings, SNS subscriptions, DynamoDB streams), over one {@link FunctionPool} per function, so concurrent
 * requests and batches run in concurrent instances as Lambda runs them, and the local CloudFront edge serving the
 * template's distribution in front of the APIs ({@link LocalEdge}). This is what
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
    private final Map<String, FunctionPool> functions = new LinkedHashMap<>();
    private EnvVarsFile envVars = EnvVarsFile.NONE;
    private EventSources eventSources;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private LocalEdge edge;

    private LocalSuite(LocalCloud cloud, String host, int edgePort) {
        this.cloud = cloud;
        this.host = host;
        this.edgePort = edgePort;
    }

    /**
     * Starts the suite of {@code cloud}'s template, event sources included.
     *
     * @param envVars     SAM's {@code --env-vars} file, or null
     * @param host        the address every server binds
     * @param edgePort    the local CloudFront edge's port (0: a free one); reserved until the edge is served
     * @param apiBasePort the first API's port; the next API gets the next port (0: each a free port)
     * @throws PortTakenException when a port is already in use (nothing this call started is left running)
     */
    public static LocalSuite start(LocalCloud cloud, Path envVars, String host, int edgePort, int apiBasePort) {
        return start(cloud, EnvVarsFile.read(envVars), host, edgePort, apiBasePort, true);
    }

    /**
     * Starts the suite, with or without the template's event sources ({@code --no-event-sources}).
     *
     * @see #start(LocalCloud, Path, String, int, int)
     */
    public static LocalSuite start(LocalCloud cloud, Path envVars, String host, int edgePort, int apiBasePort,
                                   boolean withEventSources) {
        return start(cloud, EnvVarsFile.read(envVars), host, edgePort, apiBasePort, withEventSources);
    }

    static LocalSuite start(LocalCloud cloud, EnvVarsFile envVars, String host, int edgePort, int apiBasePort,
                            boolean withEventSources) {
        LocalSuite suite = new LocalSuite(cloud, host, edgePort);
        try {
            suite.envVars = envVars;
            suite.startApis(apiBasePort);
            suite.startEdge();
            if (withEventSources) {
                // SNS delivers to the subscription endpoints from the emulator, which runs on this machine.
                suite.eventSources = EventSources.start(cloud, suite::pool, "127.0.0.1");
                suite.started.push(suite.eventSources);
            }
            return suite;
        } catch (RuntimeException | Error e) {
            suite.close();
            throw e;
        }
    }

    private void startApis(int apiBasePort) {
        for (String id : cloud.functionIds()) {
            if (!cloud.function(id).routes().isEmpty()) {
                long initMillis = pool(id).prewarm();
                System.err.printf("sam-local: %s initialised in %d ms (up to %d instances)%n", id, initMillis,
                        pool(id).limit());
            }
        }
        List<String> apiIds = apiIds(cloud.template());
        for (int i = 0; i < apiIds.size(); i++) {
            String apiId = apiIds.get(i);
            int port = apiBasePort == 0 ? 0 : apiBasePort + i;
            ApiGatewayServer server;
            try {
                server = new ApiGatewayServer(apiId, apiFunctions(), host, port);
            } catch (BindException e) {
                throw new PortTakenException(apiId, host, port, "--api-port");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve " + apiId + " on " + host + ":" + port, e);
            }
            started.push(server);
            server.start();
            apis.put(apiId, server);
        }
    }

    /**
     * Serves the template's distribution on the edge port, in front of the APIs just started. A template without a
     * distribution (DistributionId set: the stack uses one made elsewhere) has no edge to serve.
     */
    private void startEdge() {
        if (!LocalEdge.declaresDistribution(cloud)) {
            return;
        }
        try {
            edge = LocalEdge.start(cloud, apiEndpoints(), host, edgePort);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof BindException) {
                throw new PortTakenException("the local CloudFront edge", host, edgePort);
            }
            throw e;
        }
        started.push(edge);
    }

    /**
     * The instance pool of a function (created on first use, bounded by {@link FunctionPool#limitFor}), shared by
     * its API routes and its event sources.
     */
    public synchronized FunctionPool pool(String functionId) {
        FunctionPool pool = functions.get(functionId);
        if (pool == null) {
            pool = new FunctionPool(envVars.apply(cloud.function(functionId)), FunctionPool.limitFor(cloud, functionId));
            functions.put(functionId, pool);
            started.push(pool);
        }
        return pool;
    }

    private synchronized Map<String, FunctionPool> apiFunctions() {
        Map<String, FunctionPool> withRoutes = new LinkedHashMap<>();
        functions.forEach((id, pool) -> {
            if (!pool.spec().routes().isEmpty()) {
                withRoutes.put(id, pool);
            }
        });
        return withRoutes;
    }

    /** The template's event sources, running unless the suite was started without them. */
    public Optional<EventSources> eventSources() {
        return Optional.ofNullable(eventSources);
    }

    /**
     * The REST APIs {@code template} declares, in the order they are served: its {@code AWS::Serverless::Api}
     * resources in template order, then SAM's implicit API if some function's {@code Api} event names no
     * {@code RestApiId}.
     */
    public static List<String> apiIds(SamTemplate template) {
        List<String> ids = new ArrayList<>(template.resourcesOfType("AWS::Serverless::Api"));
        boolean implicit = template.functions().stream()
                .flatMap(fn -> map(template.properties(fn).get("Events")).values().stream())
                .map(SamTemplate::map)
                .anyMatch(event -> "Api".equals(event.get("Type"))
                        && !map(event.get("Properties")).containsKey("RestApiId"));
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

    /**
     * The local CloudFront edge's URL ({@code http://host:port}): what a browser opens. Null when the template
     * declares no distribution.
     */
    public URI edgeEndpoint() {
        return edge == null ? null : edge.endpoint();
    }

    /** The local CloudFront edge (tests read its cache), or null when the template declares no distribution. */
    public LocalEdge edge() {
        return edge;
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
        lines.add(edge == null ? String.format("%-14s none: the template declares no CloudFront distribution", "edge")
                : String.format("%-14s %s  (CloudFront distribution %s, over plain HTTP)", "edge", edge.endpoint(),
                edge.distributionId()));
        if (eventSources == null) {
            lines.add("event sources  off (--no-event-sources)");
        } else {
            lines.add("event sources");
            eventSources.describe().forEach(source -> lines.add("    " + source));
        }
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
        synchronized (this) {
            functions.clear();
        }
        eventSources = null;
        edge = null;
        if (failure != null) {
            throw failure;
        }
    }
}
