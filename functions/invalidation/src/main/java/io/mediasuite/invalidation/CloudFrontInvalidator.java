package io.mediasuite.invalidation;

import io.mediasuite.common.Log;
import io.mediasuite.common.Tracing;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException;

/**
 * Submits a plan to CloudFront and says what came of it.
 *
 * <p>CloudFront is idempotent on the caller reference: the same reference with the same paths returns the
 * invalidation made the first time. The same reference with different paths is rejected with
 * {@code InvalidationBatchAlreadyExists} (the SDK does not model that error, so it is matched by code); that
 * happens when a batch is redelivered after a configuration change altered its plan, and the plan is then
 * submitted again under a reference that also binds its paths, so none of them goes uninvalidated.
 */
public final class CloudFrontInvalidator {

    static final String BATCH_ALREADY_EXISTS = "InvalidationBatchAlreadyExists";

    /** The result of one submission. */
    public sealed interface Outcome {
    }

    /** CloudFront accepted (or already had) the invalidation. */
    public record Created(String invalidationId, String status, String callerReference) implements Outcome {
    }

    /** CloudFront did not create the invalidation. */
    public record Failed(FailureKind kind, String errorCode, String detail) implements Outcome {
    }

    private final CloudFrontClient cloudFront;

    public CloudFrontInvalidator(CloudFrontClient cloudFront) {
        this.cloudFront = cloudFront;
    }

    public Outcome submit(InvalidationPlan plan) {
        try {
            return create(plan, plan.callerReference());
        } catch (SdkServiceException e) {
            if (!BATCH_ALREADY_EXISTS.equals(errorCode(e))) {
                return classify(e);
            }
            Log.warn("caller reference already used with other paths; submitting under a path-bound reference",
                    "distributionId", plan.distributionId(), "callerReference", plan.callerReference());
            try {
                return create(plan, plan.callerReferenceWithPaths());
            } catch (SdkServiceException | SdkClientException again) {
                return classify(again);
            }
        } catch (SdkClientException e) {
            return classify(e);
        }
    }

    private Created create(InvalidationPlan plan, String reference) {
        CreateInvalidationResponse response = Tracing.span("CloudFront.CreateInvalidation", () ->
                cloudFront.createInvalidation(request -> request
                        .distributionId(plan.distributionId())
                        .invalidationBatch(batch -> batch
                                .callerReference(reference)
                                .paths(paths -> paths.quantity(plan.paths().size()).items(plan.paths())))));
        return new Created(response.invalidation().id(), response.invalidation().status(), reference);
    }

    private static Failed classify(RuntimeException error) {
        if (error instanceof SdkServiceException service) {
            String code = errorCode(service);
            FailureKind kind;
            if (service instanceof TooManyInvalidationsInProgressException) {
                kind = FailureKind.LIMIT;
            } else if (service.isThrottlingException()) {
                kind = FailureKind.THROTTLED;
            } else if (service.statusCode() >= 500) {
                kind = FailureKind.UNAVAILABLE;
            } else {
                kind = FailureKind.REJECTED;
            }
            return new Failed(kind, code, String.valueOf(service.getMessage()));
        }
        return new Failed(FailureKind.UNAVAILABLE, "ClientError", String.valueOf(error.getMessage()));
    }

    private static String errorCode(SdkServiceException error) {
        if (error instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return "HTTP" + error.statusCode();
    }
}
