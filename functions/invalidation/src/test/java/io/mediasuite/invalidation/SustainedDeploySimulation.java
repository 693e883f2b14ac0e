package io.mediasuite.invalidation;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import io.mediasuite.invalidation.delivery.Redelivery;
import io.mediasuite.invalidation.delivery.RetryQueue;
import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A large deploy through the invalidation queue in simulated time: the function (its real service and
 * redelivery, CloudFront calls through the SDK to {@link CloudFrontTestServer}) fed by a queue that behaves as
 * SQS does for a Lambda event source (visibility timeout on receive, receive counts, the template's
 * {@code maxReceiveCount} moving a message to the dead-letter queue, delayed sends), one batch every 10 s.
 * CloudFront's clock and the queue's move together, so 5-minute invalidations and hours of backlog run in seconds.
 *
 * <p>The queue is simulated rather than moto's because moto's visibility timeouts run on the wall clock. Its
 * settings (visibility timeout, redrive policy) are read from the queue {@code LocalCloud} provisioned from
 * template.yaml.
 */
final class SustainedDeploySimulation {

    /** Lambda's limit on one invocation's payload, which caps an SQS batch of S3 notifications. */
    private static final int PAYLOAD_LIMIT = 6 * 1024 * 1024;
    private static final int BATCH_SIZE = 10_000;
    private static final Duration TICK = Duration.ofSeconds(10);
    private static final Duration GIVE_UP = Duration.ofHours(48);

    /** What a run came to. */
    record Result(int objects, int mustCover, int deadLettered, int uncovered, Duration lastCoveredAfter,
                  Duration lastCompletedAfter, int invocations, int invalidations, int billedPaths, int wildcards,
                  int resent, int maxReceiveCount, int highestReceiveCount) {

        String row(String setting) {
            return String.format("| %s | %,d | %d | %d | %s | %s | %d | %d | %,d | %d | %d | %d/%d |", setting, objects,
                    deadLettered, uncovered, minutes(lastCoveredAfter), minutes(lastCompletedAfter), invocations,
                    invalidations, billedPaths, wildcards, resent, highestReceiveCount, maxReceiveCount);
        }

        private static String minutes(Duration d) {
            return String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
        }
    }

    private static final class Message {
        final String id;
        final String body;
        final List<String> keys;
        int receiveCount;
        Instant visibleAt;
        String receipt = "";

        Message(String id, String body, List<String> keys, Instant visibleAt) {
            this.id = id;
            this.body = body;
            this.keys = keys;
            this.visibleAt = visibleAt;
        }
    }

    /** A site where every folder also holds thumbnails: no wildcard may be used, only file paths. */
    static final WildcardCosts NO_WILDCARD = new WildcardCosts() {
        @Override
        public long collateral(String distributionId, String directory, int createdBelow) {
            return UNKNOWN_COUNT;
        }

        @Override
        public java.util.Optional<String> forbidden(String distributionId, String directory) {
            return java.util.Optional.of("thumbnails under every folder");
        }
    };

    private final FunctionUnderTest function;
    private final Map<String, String> overrides;
    private final WildcardCosts costs;
    private final String queueArn;
    private final int visibilityTimeout;
    private final int maxReceiveCount;

    private Instant now;
    private final LinkedHashSet<Message> queue = new LinkedHashSet<>();
    private final Map<String, Message> byReceipt = new HashMap<>();
    private final List<Message> deadLetters = new ArrayList<>();
    private int sent;
    private int resent;
    private int highestReceive;

    SustainedDeploySimulation(FunctionUnderTest function, Map<String, String> overrides, WildcardCosts costs) {
        this.function = function;
        this.overrides = overrides;
        this.costs = costs;
        this.queueArn = function.cloud.attribute("InvalidationQueue", "Arn");
        try (SqsClient sqs = new io.mediasuite.common.AwsClients(Env.of(function.environment))
                .build(SqsClient.builder(), "SQS")) {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b
                    .queueUrl(function.cloud.physicalId("InvalidationQueue"))
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY))
                    .attributes();
            this.visibilityTimeout = Integer.parseInt(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
            this.maxReceiveCount = Json.MAPPER.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                    .path("maxReceiveCount").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys {@code objects} objects, {@code uploadsPerSecond} of them a second, with CloudFront taking
     * {@code completionTime} per invalidation, and runs until the queue is empty.
     */
    Result run(int objects, int uploadsPerSecond, Duration completionTime, long seed) {
        CloudFrontTestServer cloudFront = function.cloudFront;
        cloudFront.reset();
        cloudFront.completionTime(completionTime);
        Instant start = cloudFront.now();
        now = start;
        Map<String, String> env = new HashMap<>(function.environment);
        env.putAll(overrides);
        InvalidationConfig config = InvalidationConfig.from(Env.of(env));
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        try (CloudFrontClient client = new io.mediasuite.common.AwsClients(Env.of(env))
                .build(CloudFrontClient.builder(), "CLOUDFRONT")) {
            InvalidationHandler handler = new InvalidationHandler(InvalidationHandler.service(config, client, costs,
                    java.util.Optional.empty(), java.util.Optional.empty(), clock),
                    java.util.Optional.of(InvalidationHandler.redelivery(config, new SimulatedQueue())));
            List<String> keys = SiteLayout.deploy(objects, seed);
            Map<String, Instant> eventTimes = new LinkedHashMap<>();
            int uploaded = 0;
            int invocations = 0;
            while (uploaded < keys.size() || !queue.isEmpty()) {
                if (Duration.between(start, now).compareTo(GIVE_UP) > 0) {
                    throw new AssertionError("queue not drained after " + GIVE_UP + ": " + queue.size() + " left");
                }
                // the deploy uploads; S3 notifies the queue at once
                int due = (int) Math.min(keys.size(), (Duration.between(start, now).toSeconds() + 10) * uploadsPerSecond);
                for (; uploaded < due; uploaded++) {
                    String key = keys.get(uploaded);
                    eventTimes.putIfAbsent(key, now);
                    String body = TestEvents.s3Notification(TestEvents.BUCKET, key, "ObjectCreated:Put", uploaded);
                    queue.add(new Message("m-" + uploaded, body, List.of(key), now));
                }
                List<Message> batch = receive();
                if (!batch.isEmpty()) {
                    invocations++;
                    JsonNode response = FunctionUnderTest.invoke(handler, sqsEvent(batch));
                    Set<String> failed = new HashSet<>(FunctionUnderTest.failedIds(response));
                    for (Message message : batch) {
                        if (!failed.contains(message.id)) {
                            queue.remove(message); // Lambda deletes what the function did not report failed
                        }
                    }
                }
                now = now.plus(TICK);
                cloudFront.advance(TICK);
            }
            return result(objects, keys, eventTimes, ImmutableObjects.byName(config), start, invocations,
                    completionTime);
        }
    }

    /** One receive of the Lambda poller: visible messages, up to the batch size and the payload limit. */
    private List<Message> receive() {
        List<Message> batch = new ArrayList<>();
        int bytes = 64;
        List<Message> moved = new ArrayList<>();
        for (Message message : queue) {
            if (message.visibleAt.isAfter(now)) {
                continue;
            }
            if (message.receiveCount >= maxReceiveCount) {
                moved.add(message); // SQS moves it to the dead-letter queue instead of a further receive
                continue;
            }
            int size = message.body.getBytes(StandardCharsets.UTF_8).length + 700;
            if (batch.size() == BATCH_SIZE || bytes + size > PAYLOAD_LIMIT) {
                break;
            }
            bytes += size;
            message.receiveCount++;
            highestReceive = Math.max(highestReceive, message.receiveCount);
            byReceipt.remove(message.receipt);
            message.receipt = message.id + "#" + message.receiveCount;
            byReceipt.put(message.receipt, message);
            message.visibleAt = now.plusSeconds(visibilityTimeout);
            batch.add(message);
        }
        queue.removeAll(moved);
        deadLetters.addAll(moved);
        return batch;
    }

    private String sqsEvent(List<Message> batch) {
        return TestEvents.sqsEvent(batch.stream().map(m -> new TestEvents.SqsMessage(m.id, m.receipt, m.body,
                m.receiveCount)).toList(), queueArn);
    }

    /** The queue as the function's redelivery sees it. */
    private final class SimulatedQueue implements RetryQueue {
        @Override
        public OptionalInt maxReceiveCount() {
            return OptionalInt.of(maxReceiveCount);
        }

        @Override
        public void changeVisibility(Map<String, Integer> secondsByReceipt) {
            secondsByReceipt.forEach((receipt, seconds) -> {
                Message message = byReceipt.get(receipt);
                if (message != null) {
                    message.visibleAt = now.plusSeconds(seconds);
                }
            });
        }

        @Override
        public Set<Integer> send(List<String> bodies, int delaySeconds) {
            for (String body : bodies) {
                List<String> keys = new ArrayList<>();
                try {
                    S3EventReader.read(Json.MAPPER.readTree("{\"Records\":[{\"eventSource\":\"aws:sqs\","
                                    + "\"messageId\":\"x\",\"body\":" + Json.write(body) + "}]}"))
                            .items().forEach(i -> i.changes().forEach(c -> keys.add(c.key())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                queue.add(new Message("resent-" + sent++, body, keys, now.plusSeconds(delaySeconds)));
                resent++;
            }
            return Set.of();
        }

        @Override
        public boolean owns(String eventSourceArn) {
            return eventSourceArn.equals(queueArn);
        }
    }

    private Result result(int objects, List<String> keys, Map<String, Instant> eventTimes,
                          Predicate<ObjectChange> immutable, Instant start, int invocations,
                          Duration completionTime) {
        List<CloudFrontTestServer.InvalidationRecord> invalidations =
                function.cloudFront.invalidations(function.distributionId);
        List<Set<String>> exact = new ArrayList<>();
        List<List<String>> prefixes = new ArrayList<>();
        for (CloudFrontTestServer.InvalidationRecord invalidation : invalidations) {
            exact.add(new HashSet<>(invalidation.paths()));
            prefixes.add(invalidation.paths().stream().filter(p -> p.endsWith("*"))
                    .map(p -> p.substring(0, p.length() - 1)).toList());
        }
        int mustCover = 0;
        int uncovered = 0;
        Instant lastCovered = start;
        for (String key : keys) {
            ObjectChange change = new ObjectChange("sim", TestEvents.BUCKET, key, ObjectChange.Kind.CREATED, "Put");
            if (immutable.test(change)) {
                continue;
            }
            mustCover++;
            String path = CloudFrontPaths.encode("/" + key);
            Instant event = eventTimes.get(key);
            Instant coveredAt = null;
            for (int i = 0; i < invalidations.size() && coveredAt == null; i++) {
                Instant created = invalidations.get(i).createTime();
                if (created.isBefore(event)) {
                    continue;
                }
                if (exact.get(i).contains(path) || prefixes.get(i).stream().anyMatch(path::startsWith)) {
                    coveredAt = created;
                }
            }
            if (coveredAt == null) {
                uncovered++;
            } else if (coveredAt.isAfter(lastCovered)) {
                lastCovered = coveredAt;
            }
        }
        int billed = invalidations.stream().mapToInt(i -> i.paths().size()).sum();
        int wildcards = (int) invalidations.stream().mapToLong(CloudFrontTestServer.InvalidationRecord::wildcards).sum();
        Duration coveredAfter = Duration.between(start, lastCovered);
        return new Result(objects, mustCover, deadLetters.size(), uncovered, coveredAfter,
                coveredAfter.plus(completionTime), invocations, invalidations.size(), billed, wildcards, resent,
                maxReceiveCount, highestReceive);
    }
}
