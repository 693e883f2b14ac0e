package io.mediasuite.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Base of handlers for asynchronous and stream events (SQS, SNS, S3, CodeDeploy hooks). The event is read with
 * the shared mapper into {@code I}; the result, if any, is written back as JSON. Exceptions are not caught: for
 * these sources a thrown exception is how Lambda learns the invocation failed and retries or dead-letters it.
 *
 * @param <I> the event type
 * @param <O> the result type ({@link Void} for none)
 */
public abstract class EventHandler<I, O> implements RequestStreamHandler {

    private final Class<I> eventType;

    protected EventHandler(Class<I> eventType) {
        this.eventType = eventType;
        // Before a SnapStart snapshot, build the mapper's deserializer for the event type.
        SnapStart.beforeSnapshot(getClass().getSimpleName() + " event JSON", () -> {
            try {
                Json.MAPPER.readValue("{}", eventType);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.setRequestId(context == null ? null : context.getAwsRequestId());
        O result;
        try {
            I event = Json.MAPPER.readValue(input, eventType);
            result = handle(event, context);
        } finally {
            // A failed invocation reports what it did before failing, too.
            Metrics.flush();
        }
        if (result != null) {
            Json.MAPPER.writeValue(output, result);
        }
    }

    protected abstract O handle(I event, Context context);
}
