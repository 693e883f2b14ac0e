package io.mediasuite.invalidation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Log;
import io.mediasuite.invalidation.delivery.Redelivery;
import io.mediasuite.invalidation.delivery.RetryQueue;
import io.mediasuite.invalidation.delivery.SqsRetryQueue;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Entry point of the invalidation function: S3 deploy events in, CloudFront invalidations out.
 *
 * <p>The event is read as a JSON tree because one function serves several shapes ({@link S3EventReader}). From
 * the SQS queue (the deployed path) failures are reported per message ({@code ReportBatchItemFailures}), and
 * failed messages get a visibility backoff. From a direct S3, SNS or EventBridge invocation, a failure throws
 * after every item was tried, so Lambda's asynchronous retries and failure destination take over.
 */
public final class InvalidationHandler extends EventHandler<JsonNode, Object> {

    private final InvalidationService service;
    private final Optional<Redelivery> redelivery;

    /** Lambda's constructor: configuration and clients from the function's environment, built once at init. */
    public InvalidationHandler() {
        this(Env.current());
    }

    /** Wires the function from {@code env} (the local runner and tests pass the template's environment). */
    public InvalidationHandler(Env env) {
        this(env, InvalidationConfig.from(env), new AwsClients(env));
    }

    private InvalidationHandler(Env env, InvalidationConfig config, AwsClients clients) {
        this(env, config, clients, clients.build(S3Client.builder(), "S3"));
    }

    private InvalidationHandler(Env env, InvalidationConfig config, AwsClients clients, S3Client s3) {
        this(service(config, clients.build(CloudFrontClient.builder(), "CLOUDFRONT"),
                        new BucketWildcardCosts(s3, config, Clock.systemUTC()), Optional.of(s3),
                        config.ledgerTable().map(table -> new InvalidationLedger(
                                clients.build(DynamoDbClient.builder(), "DYNAMODB"), table, config.ledgerTtlSeconds(),
                                Clock.systemUTC())),
                        Clock.systemUTC()),
                config.queueUrl().map(url -> redelivery(config,
                        new SqsRetryQueue(clients.build(SqsClient.builder(), "SQS"), url))));
        Log.configure(env);
    }

    /** For tests and the local runner: a service and an optional redelivery built by the caller. */
    public InvalidationHandler(InvalidationService service, Optional<Redelivery> redelivery) {
        super(JsonNode.class);
        this.service = service;
        this.redelivery = redelivery;
    }

    /**
     * The service as deployed, with {@code costs} for what wildcards purge and {@code s3} to read objects'
     * Cache-Control (none: only the opted-in names are skipped) and {@code ledger} to remember what is done.
     */
    public static InvalidationService service(InvalidationConfig config, CloudFrontClient cloudFront,
                                              WildcardCosts costs, Optional<S3Client> s3,
                                              Optional<InvalidationLedger> ledger, Clock clock) {
        return new InvalidationService(config, new CloudFrontInvalidator(cloudFront), new InFlightReader(cloudFront),
                costs, changes -> ImmutableObjects.of(changes, config, s3), clock, ledger.orElse(null));
    }

    /** How failed messages of {@code queue} are delayed or sent again. */
    public static Redelivery redelivery(InvalidationConfig config, RetryQueue queue) {
        return new Redelivery(queue, config.retryBaseSeconds(), config.retryMaxSeconds());
    }

    @Override
    protected Object handle(JsonNode event, Context context) {
        S3EventReader.IncomingEvent incoming = S3EventReader.read(event);
        Log.info("event received", "source", incoming.source().name(), "items", incoming.items().size());
        InvalidationService.BatchResult result = service.process(incoming.items());
        InvalidationMetrics.batch(incoming.items().size(), result);

        if (incoming.source() == S3EventReader.Source.SQS) {
            List<String> failed = redelivery.map(r -> r.apply(result.failures().stream()
                            .map(InvalidationHandler::retry).toList()))
                    .orElseGet(() -> result.failures().stream().map(f -> f.item().id()).toList());
            return new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
        }
        if (!result.failures().isEmpty()) {
            InvalidationService.ItemFailure first = result.failures().getFirst();
            throw new InvalidationFailedException(result.failures().size() + " of " + incoming.items().size()
                    + " items failed; first " + first.item().id() + ": " + first.kind() + " " + first.reason());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("source", incoming.source().name());
        summary.put("invalidations", result.invalidations());
        summary.put("ignoredChanges", result.ignoredChanges());
        return summary;
    }

    private static Redelivery.Retry retry(InvalidationService.ItemFailure failure) {
        EventItem.SqsDelivery sqs = failure.item().sqs().orElse(new EventItem.SqsDelivery("", 1, "", ""));
        Redelivery.Reason reason = switch (failure.kind()) {
            case POISON -> Redelivery.Reason.POISON;
            case REJECTED -> Redelivery.Reason.REJECTED;
            case LIMIT, THROTTLED, UNAVAILABLE -> Redelivery.Reason.WAIT;
        };
        return new Redelivery.Retry(failure.item().id(), sqs.receiptHandle(), sqs.receiveCount(), sqs.eventSourceArn(),
                sqs.body(), reason, failure.waitSeconds());
    }

    /** Thrown for a direct invocation whose invalidation failed, so that Lambda retries the event. */
    public static final class InvalidationFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidationFailedException(String message) {
            super(message);
        }
    }
}
