package io.mediasuite.invalidation;

/**
 * One change to one object, as an S3 event reported it.
 *
 * @param sourceId  the id of the delivery that carried it (SQS message id, SNS message id, EventBridge event id,
 *                  or the S3 record's own identity); what the caller reference of an invalidation is derived from
 * @param bucket    bucket name
 * @param key       the object key, decoded
 * @param kind      created (Put, Post, Copy, CompleteMultipartUpload) or removed (Delete, DeleteMarkerCreated)
 * @param eventName the S3 event name as delivered, for the logs
 */
public record ObjectChange(String sourceId, String bucket, String key, Kind kind, String eventName) {

    /** What happened to the object; both make cached copies stale. */
    public enum Kind { CREATED, REMOVED }
}
