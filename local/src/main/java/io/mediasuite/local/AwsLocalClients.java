package io.mediasuite.local;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK clients for the runner's own use (creating resources, polling event sources), pointed at the endpoints of an
 * environment map.
 */
public final class AwsLocalClients implements AutoCloseable {

    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    public final DynamoDbClient dynamoDb;
    public final DynamoDbStreamsClient dynamoDbStreams;
    public final S3Client s3;
    public final SqsClient sqs;
    public final SnsClient sns;

    public AwsLocalClients(Map<String, String> env) {
        Region region = Region.of(env.get("AWS_REGION"));
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
        dynamoDb = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
        dynamoDbStreams = DynamoDbStreamsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
        s3 = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials).forcePathStyle(true)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).build();
        sqs = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS"))).build();
        sns = SnsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SNS"))).build();
    }

    @Override
    public void close() {
        dynamoDb.close();
        dynamoDbStreams.close();
        s3.close();
        sqs.close();
        sns.close();
        http.close();
    }
}
