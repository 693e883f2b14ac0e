package io.mediasuite.local.cloudfront;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A protocol-level CloudFront stand-in for the invalidation API: AWS REST-XML, API version 2020-05-31,
 * operations CreateInvalidation ({@code POST /2020-05-31/distribution/{id}/invalidation}), GetInvalidation
 * ({@code GET .../invalidation/{invalidationId}}) and ListInvalidations ({@code GET .../invalidation}), answered
 * in the XML shapes the AWS SDK parses.
 *
 * <p>It exists because moto is not faithful here: moto accepts every CreateInvalidation, ignores the caller
 * reference, enforces no limit and reports every invalidation complete at once, so none of the behaviour the
 * invalidation function is built around could fail a test against it. This server does what the CloudFront API
 * reference and developer guide document:
 * <ul>
 *   <li>the same {@code CallerReference} with the same paths returns the invalidation already made (no new
 *       one); the same reference with different paths is {@code 400 InvalidationBatchAlreadyExists};</li>
 *   <li>invalidations in progress may hold at most 3 000 file paths and 15 wildcard paths per distribution;
 *       beyond, {@code 400 TooManyInvalidationsInProgress};</li>
 *   <li>an invalidation is {@code InProgress}, then {@code Completed} once the server clock passes its
 *       completion time ({@link #advance}) or when {@link #completeAll} says so;</li>
 *   <li>paths must start with {@code /}, may use {@code *} only as the last character, must be at most 4 000
 *       characters and must have non-ASCII and RFC 1738 unsafe characters percent-encoded, else
 *       {@code 400 InvalidArgument}; more than 3 000 paths in one batch is {@code 413 BatchTooLarge};</li>
 *   <li>an unknown distribution is {@code 404 NoSuchDistribution}, an unknown invalidation
 *       {@code 404 NoSuchInvalidation};</li>
 *   <li>{@link #throttleNext} injects {@code 400 Throttling: Rate exceeded}.</li>
 * </ul>
 * Requests are not authenticated: the SDK signs them, the signature is not checked.
 *
 * <p>Tests drive its clock by hand ({@link #advance}). The local stack runs it on the wall clock instead
 * ({@link #useWallClock}): an invalidation then completes on its own after the completion time, and
 * {@link #addListener listeners} hear of each completion (the local edge purges its cache on it).
 */
public final class CloudFrontTestServer implements AutoCloseable {

    /** CloudFront's documented maximum length of one invalidation path. */
    public static final int MAX_PATH_LENGTH = 4000;
    private static final String VERSION = "2020-05-31";
    private static final String NAMESPACE = "http://cloudfront.amazonaws.com/doc/" + VERSION + "/";
    private static final Pattern ROUTE = Pattern.compile("^/" + VERSION + "/distribution/([^/]+)/invalidation(?:/([^/]+))?$");
    private static final Pattern VALID_PATH = Pattern.compile("/(?:[!$&'()+,\\-./0-9:;=?@A-Z_a-z]|%[0-9A-Fa-f]{2})*\\*?");

    /** An invalidation as the server holds it. */
    public record InvalidationRecord(String id, String callerReference, List<String> paths, String status,
                                     Instant createTime) {
        public long wildcards() {
            return paths.stream().filter(p -> p.endsWith("*")).count();
        }
    }

    /** Hears of each invalidation once it completes (its paths are then gone from every edge cache). */
    @FunctionalInterface
    public interface CompletionListener {
        void completed(String distributionId, InvalidationRecord invalidation);
    }

    private static final class Invalidation {
        final String distributionId;
        final String id;
        final String callerReference;
        final List<String> paths;
        final Instant created;
        Instant completes;
        boolean announced;

        Invalidation(String distributionId, String id, String callerReference, List<String> paths, Instant created,
                     Instant completes) {
            this.distributionId = distributionId;
            this.id = id;
            this.callerReference = callerReference;
            this.paths = List.copyOf(paths);
            this.created = created;
            this.completes = completes;
        }

        boolean inProgress(Instant now) {
            return now.isBefore(completes);
        }
    }

    private final HttpServer server;
    private final Map<String, List<Invalidation>> distributions = new LinkedHashMap<>();
    private final Random ids = new Random(20200531);
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private boolean wallClock;
    private final List<CompletionListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService completions =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "cloudfront-completions");
                thread.setDaemon(true);
                return thread;
            });
    private Duration completionTime = Duration.ofMinutes(5);
    private int maxFilePaths = 3000;
    private int maxWildcards = 15;
    private int throttled;
    private int createRequests;

    private CloudFrontTestServer(HttpServer server) {
        this.server = server;
    }

    /** Starts the server on a free loopback port. */
    public static CloudFrontTestServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            CloudFrontTestServer cloudFront = new CloudFrontTestServer(http);
            http.createContext("/", cloudFront::handle);
            // Daemon threads: a stand-in left open must not keep a runner's JVM alive.
            http.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "cloudfront-api");
                thread.setDaemon(true);
                return thread;
            }));
            http.start();
            return cloudFront;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the CloudFront test server", e);
        }
    }

    /** What {@code AWS_ENDPOINT_URL_CLOUDFRONT} should be. */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /**
     * Runs the server on the wall clock from now on: invalidations complete by themselves {@code completionTime}
     * after their creation, and listeners hear of it then. {@link #advance} is refused in this mode.
     */
    public synchronized CloudFrontTestServer useWallClock(Duration completionTime) {
        wallClock = true;
        this.completionTime = completionTime;
        return this;
    }

    /** Registers a listener for completed invalidations (called on a server thread, outside the server's lock). */
    public CloudFrontTestServer addListener(CompletionListener listener) {
        listeners.add(listener);
        return this;
    }

    public void removeListener(CompletionListener listener) {
        listeners.remove(listener);
    }

    /** Distribution ids the server knows. */
    public synchronized List<String> distributions() {
        return List.copyOf(distributions.keySet());
    }

    public synchronized CloudFrontTestServer addDistribution(String distributionId) {
        distributions.putIfAbsent(distributionId, new ArrayList<>());
        return this;
    }

    /** Answers the next {@code requests} CreateInvalidation calls with {@code Throttling: Rate exceeded}. */
    public synchronized void throttleNext(int requests) {
        throttled = requests;
    }

    /** How long new invalidations stay in progress, in server-clock time (default 5 minutes). */
    public synchronized void completionTime(Duration duration) {
        completionTime = duration;
    }

    /** Lowers the in-flight limits (tests of the limit without thousands of paths). */
    public synchronized void limits(int filePaths, int wildcards) {
        maxFilePaths = filePaths;
        maxWildcards = wildcards;
    }

    /** Moves the server clock on; invalidations whose completion time passes become Completed. */
    public void advance(Duration duration) {
        synchronized (this) {
            if (wallClock) {
                throw new IllegalStateException("the server runs on the wall clock");
            }
            now = now.plus(duration);
        }
        announceCompleted();
    }

    /** Completes every invalidation in progress now. */
    public void completeAll() {
        synchronized (this) {
            Instant at = now();
            distributions.values().forEach(list -> list.forEach(i -> {
                if (i.inProgress(at)) {
                    i.completes = at;
                }
            }));
        }
        announceCompleted();
    }

    /** The server clock (the wall clock after {@link #useWallClock}); simulations keep their own clock in step. */
    public synchronized Instant now() {
        return wallClock ? Instant.now() : now;
    }

    /** Tells the listeners of every invalidation completed and not yet announced, oldest first. */
    private void announceCompleted() {
        List<Invalidation> done = new ArrayList<>();
        synchronized (this) {
            Instant at = now();
            distributions.values().forEach(list -> list.forEach(i -> {
                if (!i.announced && !i.inProgress(at)) {
                    i.announced = true;
                    done.add(i);
                }
            }));
        }
        for (Invalidation invalidation : done) {
            InvalidationRecord record;
            synchronized (this) {
                record = record(invalidation);
            }
            listeners.forEach(listener -> listener.completed(invalidation.distributionId, record));
        }
    }

    /** The distribution's invalidations, oldest first. */
    public synchronized List<InvalidationRecord> invalidations(String distributionId) {
        return distributions.getOrDefault(distributionId, List.of()).stream().map(this::record).toList();
    }

    /** CreateInvalidation requests received, rejected ones included. */
    public synchronized int createRequests() {
        return createRequests;
    }

    /** Forgets all invalidations, counters and injected faults; distributions stay. */
    public synchronized void reset() {
        distributions.values().forEach(List::clear);
        createRequests = 0;
        throttled = 0;
        completionTime = Duration.ofMinutes(5);
        maxFilePaths = 3000;
        maxWildcards = 15;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        completions.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Response response;
            synchronized (this) {
                response = route(exchange.getRequestMethod(), exchange.getRequestURI(), body);
            }
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amz-request-id", UUID.randomUUID().toString());
            response.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] bytes = response.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Response(int status, String body, Map<String, String> headers) {
        static Response xml(int status, String body) {
            return new Response(status, "<?xml version=\"1.0\"?>\n" + body, Map.of());
        }
    }

    private Response route(String method, URI uri, byte[] body) {
        Matcher matcher = ROUTE.matcher(uri.getRawPath());
        if (!matcher.matches()) {
            return error(404, "Sender", "NoSuchResource", "The specified resource does not exist.");
        }
        String distributionId = matcher.group(1);
        String invalidationId = matcher.group(2);
        if (method.equals("POST") && invalidationId == null) {
            return create(distributionId, body);
        }
        if (method.equals("GET")) {
            return invalidationId == null ? list(distributionId, query(uri)) : get(distributionId, invalidationId);
        }
        return error(405, "Sender", "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }

    private Response create(String distributionId, byte[] body) {
        createRequests++;
        if (throttled > 0) {
            throttled--;
            return error(400, "Sender", "Throttling", "Rate exceeded");
        }
        List<Invalidation> invalidations = distributions.get(distributionId);
        if (invalidations == null) {
            return error(404, "Sender", "NoSuchDistribution", "The specified distribution does not exist.");
        }
        if (body.length == 0) {
            return error(400, "Sender", "MissingBody", "This operation requires a body.");
        }
        String reference;
        List<String> paths;
        int quantity;
        try {
            Element batch = parse(body).getDocumentElement();
            if (!"InvalidationBatch".equals(batch.getLocalName() == null ? batch.getNodeName() : batch.getLocalName())) {
                return error(400, "Sender", "MalformedInput", "Unexpected root element.");
            }
            reference = childText(batch, "CallerReference");
            Element pathsElement = child(batch, "Paths");
            quantity = pathsElement == null ? -1 : Integer.parseInt(childText(pathsElement, "Quantity").trim());
            paths = new ArrayList<>();
            Element items = pathsElement == null ? null : child(pathsElement, "Items");
            if (items != null) {
                NodeList nodes = items.getElementsByTagName("Path");
                for (int i = 0; i < nodes.getLength(); i++) {
                    paths.add(nodes.item(i).getTextContent());
                }
            }
        } catch (Exception e) {
            return error(400, "Sender", "MalformedInput", "Could not parse the request body.");
        }
        if (reference == null || reference.isEmpty() || quantity < 0) {
            return error(400, "Sender", "InvalidArgument", "CallerReference and Paths are required.");
        }
        if (quantity != paths.size()) {
            return error(400, "Sender", "InconsistentQuantities",
                    "The value of Quantity and the size of Items don't match.");
        }
        if (paths.isEmpty()) {
            return error(400, "Sender", "InvalidArgument", "Your request contains no invalidation paths.");
        }
        if (paths.size() > 3000) {
            return error(413, "Sender", "BatchTooLarge", "Invalidation batch specified is too large.");
        }
        for (String path : paths) {
            if (path.length() > MAX_PATH_LENGTH || !VALID_PATH.matcher(path).matches()) {
                return error(400, "Sender", "InvalidArgument",
                        "Your request contains one or more invalid invalidation paths.");
            }
        }
        for (Invalidation existing : invalidations) {
            if (existing.callerReference.equals(reference)) {
                if (sorted(existing.paths).equals(sorted(paths))) {
                    return created(distributionId, existing);
                }
                return error(400, "Sender", "InvalidationBatchAlreadyExists",
                        "The caller reference that you are using to create an invalidation batch is already in use.");
            }
        }
        Instant at = now();
        long newWildcards = paths.stream().filter(p -> p.endsWith("*")).count();
        long newFiles = paths.size() - newWildcards;
        long files = 0;
        long wildcards = 0;
        for (Invalidation existing : invalidations) {
            if (existing.inProgress(at)) {
                long w = existing.paths.stream().filter(p -> p.endsWith("*")).count();
                wildcards += w;
                files += existing.paths.size() - w;
            }
        }
        if (files + newFiles > maxFilePaths || wildcards + newWildcards > maxWildcards) {
            return error(400, "Sender", "TooManyInvalidationsInProgress",
                    "Processing your request will cause you to exceed the maximum number of in-progress "
                            + (wildcards + newWildcards > maxWildcards ? "wildcard" : "file") + " invalidations.");
        }
        Invalidation invalidation = new Invalidation(distributionId, newId(), reference, paths, at,
                at.plus(completionTime));
        invalidations.add(invalidation);
        if (wallClock) {
            completions.schedule(this::announceCompleted, Math.max(0, completionTime.toMillis()),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return created(distributionId, invalidation);
    }

    private Response created(String distributionId, Invalidation invalidation) {
        return new Response(201, "<?xml version=\"1.0\"?>\n" + invalidationXml(invalidation),
                Map.of("Location", "https://cloudfront.amazonaws.com/" + VERSION + "/distribution/" + distributionId
                        + "/invalidation/" + invalidation.id));
    }

    private Response get(String distributionId, String invalidationId) {
        List<Invalidation> invalidations = distributions.get(distributionId);
        if (invalidations == null) {
            return error(404, "Sender", "NoSuchDistribution", "The specified distribution does not exist.");
        }
        for (Invalidation invalidation : invalidations) {
            if (invalidation.id.equals(invalidationId)) {
                return Response.xml(200, invalidationXml(invalidation));
            }
        }
        return error(404, "Sender", "NoSuchInvalidation", "The specified invalidation does not exist.");
    }

    private Response list(String distributionId, Map<String, String> query) {
        List<Invalidation> invalidations = distributions.get(distributionId);
        if (invalidations == null) {
            return error(404, "Sender", "NoSuchDistribution", "The specified distribution does not exist.");
        }
        int maxItems;
        try {
            maxItems = Integer.parseInt(query.getOrDefault("MaxItems", "100"));
        } catch (NumberFormatException e) {
            return error(400, "Sender", "InvalidArgument", "MaxItems must be a number.");
        }
        List<Invalidation> newestFirst = new ArrayList<>(invalidations);
        java.util.Collections.reverse(newestFirst);
        String marker = query.getOrDefault("Marker", "");
        int from = 0;
        if (!marker.isEmpty()) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).id.equals(marker)) {
                    from = i + 1;
                    break;
                }
            }
        }
        List<Invalidation> page = newestFirst.subList(Math.min(from, newestFirst.size()),
                Math.min(newestFirst.size(), from + Math.max(maxItems, 0)));
        boolean truncated = from + page.size() < newestFirst.size();
        StringBuilder xml = new StringBuilder("<InvalidationList xmlns=\"" + NAMESPACE + "\">");
        xml.append("<Marker>").append(escape(marker)).append("</Marker>");
        if (truncated && !page.isEmpty()) {
            xml.append("<NextMarker>").append(page.getLast().id).append("</NextMarker>");
        }
        xml.append("<MaxItems>").append(maxItems).append("</MaxItems>");
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        xml.append("<Quantity>").append(page.size()).append("</Quantity>");
        if (!page.isEmpty()) {
            xml.append("<Items>");
            for (Invalidation invalidation : page) {
                xml.append("<InvalidationSummary><Id>").append(invalidation.id).append("</Id><CreateTime>")
                        .append(time(invalidation.created)).append("</CreateTime><Status>")
                        .append(status(invalidation)).append("</Status></InvalidationSummary>");
            }
            xml.append("</Items>");
        }
        xml.append("</InvalidationList>");
        return Response.xml(200, xml.toString());
    }

    private String invalidationXml(Invalidation invalidation) {
        StringBuilder xml = new StringBuilder("<Invalidation xmlns=\"" + NAMESPACE + "\">");
        xml.append("<Id>").append(invalidation.id).append("</Id>");
        xml.append("<Status>").append(status(invalidation)).append("</Status>");
        xml.append("<CreateTime>").append(time(invalidation.created)).append("</CreateTime>");
        xml.append("<InvalidationBatch><Paths><Quantity>").append(invalidation.paths.size()).append("</Quantity><Items>");
        for (String path : invalidation.paths) {
            xml.append("<Path>").append(escape(path)).append("</Path>");
        }
        xml.append("</Items></Paths><CallerReference>").append(escape(invalidation.callerReference))
                .append("</CallerReference></InvalidationBatch></Invalidation>");
        return xml.toString();
    }

    private static Response error(int status, String type, String code, String message) {
        return Response.xml(status, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>" + type + "</Type><Code>"
                + code + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + UUID.randomUUID()
                + "</RequestId></ErrorResponse>");
    }

    private InvalidationRecord record(Invalidation invalidation) {
        return new InvalidationRecord(invalidation.id, invalidation.callerReference, invalidation.paths,
                status(invalidation), invalidation.created);
    }

    private String status(Invalidation invalidation) {
        return invalidation.inProgress(now()) ? "InProgress" : "Completed";
    }

    private String newId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder("I");
        for (int i = 0; i < 13; i++) {
            id.append(alphabet.charAt(ids.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static List<String> sorted(List<String> paths) {
        return paths.stream().sorted().toList();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(name, value);
            }
        }
        return query;
    }

    private static Document parse(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(body));
    }

    private static Element child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element
                    && name.equals(element.getLocalName() == null ? element.getNodeName() : element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    private static String childText(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
