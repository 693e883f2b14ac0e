package io.mediasuite.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mediasuite.local.Jsons;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * The template's {@code Type: SNS} events: each function is subscribed to its topic in the emulator through an
 * HTTP endpoint this class serves (moto delivers HTTP notifications; it cannot call an in-process function), and
 * each notification is turned into the event Lambda sends to a subscribed function and invoked asynchronously
 * through the function's {@link AsyncInvoker} (its retries and OnFailure destination).
 *
 * <p>Each subscription's endpoint path is {@code /sns/<stack>/<function>/<event>}: its identity. A start finds the
 * topic's HTTP subscriptions with that path (whatever their host and port, e.g. left by a runner that was killed),
 * unsubscribes them and subscribes the new endpoint, so a topic never delivers twice to one function; {@link #close}
 * unsubscribes, since nothing answers the endpoint once the runner is gone.
 */
public final class SnsSubscriptions implements AutoCloseable {

    private final HttpServer server;
    private final String stackName;
    private final SnsClient sns;
    private final Map<String, Registration> byPath = new ConcurrentHashMap<>();

    private record Registration(EventSourceSpecs.SnsSubscription spec, AsyncInvoker invoker, String subscriptionArn) {
    }

    private SnsSubscriptions(HttpServer server, String stackName, SnsClient sns) {
        this.server = server;
        this.stackName = stackName;
        this.sns = sns;
    }

    /** Serves subscription endpoints on {@code host} (a free port), reachable from the emulator. */
    public static SnsSubscriptions start(String host, String stackName, SnsClient sns) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 64);
        SnsSubscriptions subscriptions = new SnsSubscriptions(server, stackName, sns);
        server.createContext("/sns/", subscriptions::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return subscriptions;
    }

    /** Subscribes the function to its topic, replacing any subscription of the same identity. */
    public String subscribe(EventSourceSpecs.SnsSubscription spec, AsyncInvoker invoker) {
        String path = "/sns/" + stackName + "/" + spec.functionId() + "/" + spec.eventName();
        for (Subscription stale : sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(spec.topicArn()))
                .subscriptions()) {
            if (stale.protocol().startsWith("http") && URI.create(stale.endpoint()).getPath().equals(path)) {
                sns.unsubscribe(b -> b.subscriptionArn(stale.subscriptionArn()));
            }
        }
        String endpoint = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + path;
        Map<String, String> attributes = new LinkedHashMap<>();
        if (spec.filterPolicy() != null) {
            attributes.put("FilterPolicy", spec.filterPolicy());
        }
        String arn = sns.subscribe(b -> b.topicArn(spec.topicArn()).protocol("http").endpoint(endpoint)
                .attributes(attributes).returnSubscriptionArn(true)).subscriptionArn();
        byPath.put(path, new Registration(spec, invoker, arn));
        return arn;
    }

    /** One banner line per subscription. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        byPath.values().forEach(r -> lines.add("SNS " + r.spec().topicArn().substring(r.spec().topicArn().lastIndexOf(':') + 1)
                + " -> " + r.spec().functionId() + " (asynchronous, subscription " + r.subscriptionArn() + ")"));
        return lines;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Registration registration = byPath.get(exchange.getRequestURI().getPath());
            JsonNode message = readJson(exchange);
            if (registration == null || message == null || !message.isObject()) {
                exchange.sendResponseHeaders(registration == null ? 404 : 400, -1);
                return;
            }
            switch (message.path("Type").asText()) {
                case "SubscriptionConfirmation" -> sns.confirmSubscription(b -> b
                        .topicArn(message.path("TopicArn").asText()).token(message.path("Token").asText()));
                case "Notification" -> registration.invoker().invoke(
                        Jsons.write(event(message, registration.subscriptionArn())).getBytes(StandardCharsets.UTF_8));
                default -> {
                    // UnsubscribeConfirmation: nothing to do.
                }
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static JsonNode readJson(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            return Jsons.MAPPER.readTree(in.readAllBytes());
        } catch (IOException e) {
            return null;
        }
    }

    /** The event Lambda sends a function subscribed to a topic: one record per notification. */
    static Map<String, Object> event(JsonNode notification, String subscriptionArn) {
        Map<String, Object> sns = new LinkedHashMap<>();
        sns.put("SignatureVersion", text(notification, "SignatureVersion"));
        sns.put("Timestamp", text(notification, "Timestamp"));
        sns.put("Signature", text(notification, "Signature"));
        sns.put("SigningCertUrl", text(notification, "SigningCertURL"));
        sns.put("MessageId", text(notification, "MessageId"));
        sns.put("Message", text(notification, "Message"));
        Map<String, Object> attributes = new LinkedHashMap<>();
        notification.path("MessageAttributes").properties().forEach(a -> attributes.put(a.getKey(), Map.of(
                "Type", a.getValue().path("Type").asText(), "Value", a.getValue().path("Value").asText())));
        sns.put("MessageAttributes", attributes);
        sns.put("Type", text(notification, "Type"));
        sns.put("UnsubscribeUrl", text(notification, "UnsubscribeURL"));
        sns.put("TopicArn", text(notification, "TopicArn"));
        sns.put("Subject", text(notification, "Subject"));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscriptionArn);
        record.put("EventSource", "aws:sns");
        record.put("Sns", sns);
        return Map.of("Records", List.of(record));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Unsubscribes every function and stops serving. */
    @Override
    public void close() {
        for (Registration registration : byPath.values()) {
            try {
                sns.unsubscribe(b -> b.subscriptionArn(registration.subscriptionArn()));
            } catch (RuntimeException e) {
                System.err.println("sam-local: could not unsubscribe " + registration.subscriptionArn() + ": "
                        + e.getMessage());
            }
        }
        byPath.clear();
        server.stop(0);
    }
}
