package io.mediasuite.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.emulator.Emulators;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

class EmulatorsTest {

    @Test
    void shared_shouldServeDynamoDbAndS3_whenStarted() {
        // given
        Emulators emulators = Emulators.shared();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

        // when
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(emulators.dynamoDbEndpoint()).build();
             S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .forcePathStyle(true).endpointOverride(emulators.motoEndpoint()).build()) {
            s3.createBucket(b -> b.bucket("emulators-probe"));

            // then
            assertTrue(dynamo.listTables().tableNames().isEmpty() || dynamo.listTables().hasTableNames());
            assertEquals(1, s3.listBuckets().buckets().stream().filter(b -> b.name().equals("emulators-probe")).count());
        }
    }
}
