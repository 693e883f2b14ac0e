package io.mediasuite.invalidation;

import java.util.Optional;

/**
 * One change to one object, as an S3 event reported it.
 *
 * @param sourceId  the id of the delivery that carried it (SQS message id, SNS message id, EventBridge event id,
 *                  or the S3 record's own identity)
 * @param bucket    bucket name
 * @param key       the object key, decoded
 * @param kind      created (Put, Post, Copy, CompleteMultipartUpload) or removed (Delete, DeleteMarkerCreated)
 * @param eventName the S3 event name as delivered, for the logs
 * @param sequencer S3's sequencer of the change (unique per change of one key), when the event carries one
 * @param eTag      the object's ETag after a creation, when the event carries one
 */
public record ObjectChange(String sourceId, String bucket, String key, Kind kind, String eventName,
                           Optional<String> sequencer, Optional<String> eTag) {

    /** What happened to the object; both make cached copies stale. */
    public enum Kind { CREATED, REMOVED }

    /** A change without version details (tests, and events that carry none). */
    public ObjectChange(String sourceId, String bucket, String key, Kind kind, String eventName) {
        this(sourceId, bucket, key, kind, eventName, Optional.empty(), Optional.empty());
    }

    /**
     * What this change is, independent of the delivery that carried it: bucket, key, kind and the sequencer (or
     * the ETag when there is none). The same object version reported twice, in whatever batch, has the same
     * version id; two deploys of the same key have different sequencers, so different ids. Empty when the event
     * says nothing that tells one version from another.
     */
    public Optional<String> versionId() {
        Optional<String> version = sequencer.map(s -> "s:" + s).or(() -> eTag.map(e -> "e:" + e));
        return version.map(v -> bucket + "\n" + key + "\n" + kind + "\n" + v);
    }
}
