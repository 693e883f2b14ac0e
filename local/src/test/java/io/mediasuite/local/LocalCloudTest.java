package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalCloudTest {

    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage: {Type: String, Default: dev}
              FcmPlatformApplicationArn: {Type: String, Default: ""}
              Threshold: {Type: Number}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
            Globals:
              Function:
                Runtime: java25
                Timeout: 9
                Environment:
                  Variables:
                    STAGE: !Ref Stage
                    SHARED: from-globals
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions:
                    - {AttributeName: pk, AttributeType: S}
                    - {AttributeName: cell, AttributeType: S}
                  KeySchema: [{AttributeName: pk, KeyType: HASH}]
                  GlobalSecondaryIndexes:
                    - IndexName: byCell
                      KeySchema: [{AttributeName: cell, KeyType: HASH}, {AttributeName: pk, KeyType: RANGE}]
                      Projection: {ProjectionType: KEYS_ONLY}
              Dlq:
                Type: AWS::SQS::Queue
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: 120
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt Dlq.Arn
                    maxReceiveCount: 4
              ProdOnlyTopic:
                Type: AWS::SNS::Topic
                Condition: IsProd
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: functions/x
                  Handler: a.B::handleRequest
                  Timeout: 30
                  Environment:
                    Variables:
                      TABLE: !Ref Table
                      QUEUE_ARN: !GetAtt Queue.Arn
                      SHARED: from-function
                      APP: !Ref FcmPlatformApplicationArn
                      LABEL: !Sub "${AWS::StackName}-${Stage}-${Table}-${Threshold}"
                      PROD: !If [IsProd, "yes", "no"]
            """;

    @Test
    void start_shouldCreateTemplateResourcesAndResolveFunctionEnvironment_whenGivenTemplate(@TempDir Path dir)
            throws Exception {
        // given
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, TEMPLATE);
        Emulators emulators = Emulators.shared();

        // when
        LocalCloud cloud = LocalCloud.start(template, emulators, "cloud-test", Map.of("Threshold", "7"));
        FunctionSpec fn = cloud.function("Fn");

        // then
        Map<String, String> env = fn.environment();
        assertEquals("cloud-test-Table", env.get("TABLE"));
        assertEquals("from-function", env.get("SHARED"));
        assertEquals("dev", env.get("STAGE"));
        assertEquals("cloud-test-dev-cloud-test-Table-7", env.get("LABEL"));
        assertEquals("no", env.get("PROD"));
        assertTrue(env.get("APP").startsWith("arn:aws:sns:us-east-1:"), env.get("APP"));
        assertTrue(env.get("APP").contains(":app/GCM/cloud-test-Fcm"), env.get("APP"));
        assertTrue(env.get("QUEUE_ARN").endsWith(":cloud-test-Queue"), env.get("QUEUE_ARN"));
        assertEquals(emulators.dynamoDbEndpoint().toString(), env.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals("30", env.get("AWS_LAMBDA_FUNCTION_TIMEOUT"));
        assertEquals("a.B", fn.handlerClass());
        assertEquals(dir.resolve("functions/x"), fn.codeUri());

        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(emulators.dynamoDbEndpoint()).build();
             SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS"))).build()) {
            TableDescription table = dynamo.describeTable(b -> b.tableName("cloud-test-Table")).table();
            assertEquals("byCell", table.globalSecondaryIndexes().getFirst().indexName());
            String redrive = sqs.getQueueAttributes(b -> b.queueUrl(cloud.physicalId("Queue"))
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
            assertTrue(redrive.contains(cloud.attribute("Dlq", "Arn")), redrive);
        }
        assertFalse(cloud.createdResources().containsKey("ProdOnlyTopic"));
    }

    @Test
    void start_shouldFindExistingResources_whenRunTwice(@TempDir Path dir) throws Exception {
        // given
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, TEMPLATE);
        LocalCloud first = LocalCloud.start(template, Emulators.shared(), "twice", Map.of("Threshold", "1"));

        // when
        LocalCloud second = LocalCloud.start(template, Emulators.shared(), "twice", Map.of("Threshold", "1"));

        // then
        assertEquals(first.physicalId("Queue"), second.physicalId("Queue"));
        assertEquals(first.parameters().get("FcmPlatformApplicationArn"),
                second.parameters().get("FcmPlatformApplicationArn"));
    }

    @Test
    void start_shouldNameTheParameter_whenARequiredParameterIsMissing(@TempDir Path dir) throws Exception {
        // given
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, TEMPLATE);

        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LocalCloud.start(template, Emulators.shared(), "missing", Map.of()));

        // then
        assertTrue(error.getMessage().contains("Threshold"), error.getMessage());
    }

    @Test
    void shared_shouldProvisionTheProjectTemplate_whenAsked() {
        // given the project's own template.yaml
        Path root = ProjectLayout.root();

        // when
        LocalCloud cloud = LocalCloud.shared();

        // then every function resolves, with its CodeUri inside the project
        for (String id : cloud.functionIds()) {
            FunctionSpec fn = cloud.function(id);
            assertTrue(fn.codeUri().startsWith(root.resolve("functions")), fn.codeUri().toString());
            assertFalse(fn.handler().isBlank());
        }
    }

    @Test
    void function_shouldGiveEachRouteItsApisOpenApiDocument_whenTheApiIncludesOne() {
        // given the project's template, whose APIs include api/device-api.yaml and api/thumbnail-api.yaml
        Path api = ProjectLayout.root().resolve("api");

        // when
        var deviceRoutes = LocalCloud.shared().function("DeviceApiFunction").routes();
        var thumbnailRoutes = LocalCloud.shared().function("ThumbnailFunction").routes();

        // then
        assertEquals(3, deviceRoutes.size());
        deviceRoutes.forEach(route -> assertEquals(api.resolve("device-api.yaml"), route.definition()));
        assertEquals(api.resolve("thumbnail-api.yaml"), thumbnailRoutes.getFirst().definition());
    }

    @Test
    void start_shouldRegisterTheDistributionWithTheStacksCloudFrontApi_whenRunTwice() throws Exception {
        // given the project's template (SiteDistribution), started twice under one stack name against one moto
        Path template = ProjectLayout.root().resolve("template.yaml");
        try (LocalCloud first = LocalCloud.start(template, Emulators.shared(), "distribution-twice", Map.of());
             LocalCloud second = LocalCloud.start(template, Emulators.shared(), "distribution-twice", Map.of())) {

            // when
            String id = second.physicalId("SiteDistribution");
            String env = second.functionEnvironment("InvalidationFunction").get("DISTRIBUTION_ID");

            // then: the same id both times, known to this stack's CloudFront API, which the function is pointed at
            assertEquals(first.physicalId("SiteDistribution"), id);
            assertTrue(id.matches("E[A-Z2-7]{13}"), id);
            assertEquals(id, env);
            assertEquals(id, second.attribute("SiteDistribution", "Id"));
            assertEquals("d" + id.substring(1).toLowerCase(java.util.Locale.ROOT) + ".cloudfront.net",
                    second.attribute("SiteDistribution", "DomainName"));
            assertEquals(java.util.List.of(id), second.cloudFront().distributions());
            assertEquals(second.cloudFront().endpoint().toString(),
                    second.functionEnvironment("InvalidationFunction").get("AWS_ENDPOINT_URL_CLOUDFRONT"));
            assertFalse(id.equals(LocalCloud.shared().physicalId("SiteDistribution")), "another stack, another id");
        }
    }

    @Test
    void invalidationCompletion_shouldRefuseWithOneLine_whenTheVariableIsNotASmallNumber() {
        assertEquals(java.time.Duration.ofMillis(250), LocalCloud.invalidationCompletion("0.25"));
        assertEquals(LocalCloud.DEFAULT_INVALIDATION_COMPLETION, LocalCloud.invalidationCompletion(null));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LocalCloud.invalidationCompletion("soon"));
        assertTrue(error.getMessage().startsWith(LocalCloud.INVALIDATION_SECONDS_VARIABLE), error.getMessage());
    }
}
