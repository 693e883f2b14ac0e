package io.mediasuite.invalidation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Log;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
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
    private final Optional<SqsVisibilityBackoff> backoff;

    /** Lambda's constructor: configuration and clients from the function's environment, built once at init. */
    public InvalidationHandler() {
        this(Env.current());
    }

    /** Wires the function from {@code env} (the local runner and tests pass the template's environment). */
    public InvalidationHandler(Env env) {
        this(env, InvalidationConfig.from(env), new AwsClients(env));
    }

    private InvalidationHandler(Env env, InvalidationConfig config, AwsClients clients) {
        this(new InvalidationService(config,
                        new CloudFrontInvalidator(clients.build(CloudFrontClient.builder(), "CLOUDFRONT"))),
                SqsVisibilityBackoff.from(config, () -> clients.build(SqsClient.builder(), "SQS")));
        Log.configure(env);
    }

    /** For tests: a service and an optional backoff built by the caller. */
    public InvalidationHandler(InvalidationService service, Optional<SqsVisibilityBackoff> backoff) {
        super(JsonNode.class);
        this.service = service;
        this.backoff = backoff;
    }

    @Override
    protected Object handle(JsonNode event, Context context) {
        S3EventReader.IncomingEvent incoming = S3EventReader.read(event);
        Log.info("event received", "source", incoming.source().name(), "items", incoming.items().size());
        InvalidationService.BatchResult result = service.process(incoming.items());
        InvalidationMetrics.batch(incoming.items().size(), result);

        if (incoming.source() == S3EventReader.Source.SQS) {
            backoff.ifPresent(b -> b.apply(result.failures()));
            return new SQSBatchResponse(result.failures().stream()
                    .map(f -> new SQSBatchResponse.BatchItemFailure(f.item().id()))
                    .toList());
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

    /** Thrown for a direct invocation whose invalidation failed, so that Lambda retries the event. */
    public static final class InvalidationFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidationFailedException(String message) {
            super(message);
        }
    }
}
