package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Runs against emulators that outlive a run (as a moto and DynamoDB Local the user keeps running): a second
 * provisioning of a stack finds what the first left, brings it in line with a changed template where the
 * emulator can, and says in one line what to do where it cannot.
 */
class LocalCloudReconcileTest {

    /** {@code %s} slots: the table's attributes, its hash key, its extra properties; queue visibility, maxReceiveCount. */
    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: %s
                  KeySchema: [{AttributeName: %s, KeyType: HASH}]
            %s
              Dlq:
                Type: AWS::SQS::Queue
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: %s
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt Dlq.Arn
                    maxReceiveCount: %s
              Topic:
                Type: AWS::SNS::Topic
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  NotificationConfiguration:
                    QueueConfigurations:
                      - Event: s3:ObjectCreated:*
                        Queue: !GetAtt Queue.Arn
                        Filter: {S3Key: {Rules: [{Name: prefix, Value: site/}]}}
            """;
    private static final String INDEX_TTL_STREAM = """
                  GlobalSecondaryIndexes:
                    - IndexName: byCell
                      KeySchema: [{AttributeName: cell, KeyType: HASH}]
                      Projection: {ProjectionType: KEYS_ONLY}
                  TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
                  StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
            """;

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        Emulators emulators = Emulators.shared();
        dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(emulators.dynamoDbEndpoint()).build();
        sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(emulators.endpoint("SQS")).build();
    }

    @AfterAll
    static void close() {
        dynamo.close();
        sqs.close();
    }

    @Test
    void start_shouldUpdateQueuesAndTablesInPlace_whenTheTemplateChangedBetweenRuns(@TempDir Path dir)
            throws Exception {
        // given a first run, and a template that changes queue attributes and adds an index, TTL and a stream
        LocalCloud first = LocalCloud.start(template(dir, "pk", "", 60, 3), Emulators.shared(), "rerun", Map.of());
        Path changed = template(dir, "pk", INDEX_TTL_STREAM, 90, 5);

        // when
        LocalCloud second = LocalCloud.start(changed, Emulators.shared(), "rerun", Map.of());

        // then: the same queue, with the new attributes
        assertEquals(first.physicalId("Queue"), second.physicalId("Queue"));
        Map<QueueAttributeName, String> queue = sqs.getQueueAttributes(b -> b.queueUrl(second.physicalId("Queue"))
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("90", queue.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertTrue(queue.get(QueueAttributeName.REDRIVE_POLICY).replace(" ", "").matches(".*\"maxReceiveCount\":\"?5.*"),
                queue.get(QueueAttributeName.REDRIVE_POLICY));
        // ... and the same table with its new index, stream and TTL
        TableDescription table = dynamo.describeTable(b -> b.tableName("rerun-Table")).table();
        assertEquals(List.of("byCell"), table.globalSecondaryIndexes().stream().map(i -> i.indexName()).toList());
        assertEquals("NEW_AND_OLD_IMAGES", table.streamSpecification().streamViewTypeAsString());
        assertEquals(table.latestStreamArn(), second.attribute("Table", "StreamArn"));
        assertEquals("expiresAt", dynamo.describeTimeToLive(b -> b.tableName("rerun-Table"))
                .timeToLiveDescription().attributeName());

        // when: a third run goes back to the first template
        LocalCloud.start(template(dir, "pk", "", 60, 3), Emulators.shared(), "rerun", Map.of());

        // then: what the template no longer declares is gone again
        TableDescription reverted = dynamo.describeTable(b -> b.tableName("rerun-Table")).table();
        assertTrue(reverted.globalSecondaryIndexes().isEmpty(), reverted.toString());
        assertEquals("60", sqs.getQueueAttributes(b -> b.queueUrl(second.physicalId("Queue"))
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                .get(QueueAttributeName.VISIBILITY_TIMEOUT));
        // ... and the bucket's notification configuration, the same in all three runs, was put once: one
        // s3:TestEvent in the queue
        assertEquals(1, drain(second.physicalId("Queue")).stream().filter(m -> m.body().contains("s3:TestEvent"))
                .count());
    }

    @Test
    void start_shouldNameTheTableAndWhatToDo_whenItsKeySchemaChangedBetweenRuns(@TempDir Path dir) throws Exception {
        // given
        LocalCloud.start(template(dir, "pk", "", 30, 3), Emulators.shared(), "rekey", Map.of());
        Path changed = template(dir, "cell", "", 30, 3);

        // when
        CannotReconcileException error = assertThrows(CannotReconcileException.class,
                () -> LocalCloud.start(changed, Emulators.shared(), "rekey", Map.of()));

        // then
        assertTrue(error.getMessage().startsWith("table rekey-Table exists with key schema [pk HASH S]"),
                error.getMessage());
        assertTrue(error.getMessage().endsWith("delete table rekey-Table or use --stack-name"), error.getMessage());
        assertTrue(!error.getMessage().contains("\n"), "one line");
    }

    @Test
    void start_shouldShareNoResource_whenTwoStackNamesRunOnOneMoto() {
        // given the project's template, whose site bucket is named after the stack id's UUID
        Path template = ProjectLayout.root().resolve("template.yaml");
        LocalCloud first = LocalCloud.start(template, Emulators.shared(), "stack-one", Map.of());

        // when
        LocalCloud second = LocalCloud.start(template, Emulators.shared(), "stack-two", Map.of());

        // then every resource the runner holds in an emulator has a name of its own per stack
        Set<String> emulated = Set.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic",
                "AWS::Serverless::Function", "AWS::CloudFront::Distribution");
        Map<String, String> one = first.createdResources();
        Map<String, String> two = second.createdResources();
        int compared = 0;
        for (String id : one.keySet()) {
            if (emulated.contains(first.template().type(id))) {
                assertNotEquals(one.get(id), two.get(id), id);
                compared++;
            }
        }
        assertTrue(compared >= 12, "compared " + compared + " resources");
        first.parameters().forEach((name, value) -> {
            if (name.endsWith("PlatformApplicationArn")) {
                assertNotEquals(value, second.parameters().get(name), name);
            }
        });
        // ... and the second stack did not rewire the first one's site bucket
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .forcePathStyle(true).endpointOverride(Emulators.shared().endpoint("S3")).build()) {
            var notifications = s3.getBucketNotificationConfiguration(b -> b.bucket(first.physicalId("SiteBucket")));
            assertEquals(Set.of(first.attribute("InvalidationQueue", "Arn")), notifications.queueConfigurations()
                    .stream().map(q -> q.queueArn()).collect(Collectors.toSet()));
        }
    }

    private static Path template(Path dir, String hashKey, String tableExtras, int visibility, int maxReceive)
            throws Exception {
        Path file = dir.resolve("template-" + hashKey + "-" + tableExtras.hashCode() + "-" + visibility + ".yaml");
        String attributes = tableExtras.isEmpty() || hashKey.equals("cell")
                ? "[{AttributeName: " + hashKey + ", AttributeType: S}]"
                : "[{AttributeName: pk, AttributeType: S}, {AttributeName: cell, AttributeType: S}]";
        Files.writeString(file, TEMPLATE.formatted(attributes, hashKey, tableExtras.stripTrailing(), visibility,
                maxReceive));
        return file;
    }

    private static List<Message> drain(String queueUrl) {
        List<Message> all = new java.util.ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(600)).messages();
            if (batch.isEmpty()) {
                break;
            }
            all.addAll(batch);
        }
        return all;
    }
}
