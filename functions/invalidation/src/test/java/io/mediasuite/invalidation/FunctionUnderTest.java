package io.mediasuite.invalidation;

import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.Env;
import io.mediasuite.common.Json;
import io.mediasuite.local.AwsLocalClients;
import io.mediasuite.local.LocalCloud;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invalidation function as template.yaml declares it ({@link LocalCloud} resolves its environment; S3 and
 * SQS are moto), with CloudFront answered by a {@link CloudFrontTestServer} that knows the stack's distribution.
 */
final class FunctionUnderTest implements AutoCloseable {

    final CloudFrontTestServer cloudFront;
    final LocalCloud cloud;
    final String distributionId;
    final Map<String, String> environment;
    final InvalidationHandler handler;

    private FunctionUnderTest(Map<String, String> overrides) {
        cloudFront = CloudFrontTestServer.start();
        cloud = LocalCloud.shared();
        distributionId = cloud.physicalId("SiteDistribution");
        cloudFront.addDistribution(distributionId);
        Map<String, String> env = new HashMap<>(cloud.functionEnvironment("InvalidationFunction"));
        env.put("AWS_ENDPOINT_URL_CLOUDFRONT", cloudFront.endpoint().toString());
        // The sample events (TestEvents, events/) name the bucket of a fixed stack id; the local stack's own site
        // bucket carries a UUID derived from its name. The function watches the events' bucket.
        env.put("SITE_BUCKET", TestEvents.BUCKET);
        try (AwsLocalClients clients = new AwsLocalClients(cloud.emulators().environment())) {
            if (clients.s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(TestEvents.BUCKET))) {
                clients.s3.createBucket(b -> b.bucket(TestEvents.BUCKET));
            }
        }
        env.putAll(overrides);
        environment = Map.copyOf(env);
        handler = new InvalidationHandler(Env.of(environment));
    }

    static FunctionUnderTest start(Map<String, String> overrides) {
        return new FunctionUnderTest(overrides);
    }

    /** Another instance of the function, its environment changed by {@code overrides}. */
    InvalidationHandler handlerWith(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        return new InvalidationHandler(Env.of(env));
    }

    JsonNode invoke(String event) {
        return invoke(handler, event);
    }

    /** Invokes as the Lambda runtime does: the event as a stream in, the result as a stream out. */
    static JsonNode invoke(InvalidationHandler target, String event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            target.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
            return out.size() == 0 ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message ids an SQS batch response reports failed. */
    static List<String> failedIds(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("batchItemFailures").forEach(f -> ids.add(f.path("itemIdentifier").asText()));
        return ids;
    }

    /**
     * Forgets every invalidated version the ledger table remembers: tests replay the same sample events, which a
     * deployed function would rightly skip as redeliveries.
     */
    void clearLedger() {
        String table = environment.get("LEDGER_TABLE");
        try (software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb = new io.mediasuite.common.AwsClients(
                Env.of(environment)).build(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(),
                "DYNAMODB")) {
            dynamoDb.scanPaginator(b -> b.tableName(table).projectionExpression("id")).items().forEach(item ->
                    dynamoDb.deleteItem(b -> b.tableName(table).key(java.util.Map.of("id", item.get("id")))));
        }
    }

    @Override
    public void close() {
        cloudFront.close();
    }
}
