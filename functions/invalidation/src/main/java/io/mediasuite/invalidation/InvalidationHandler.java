package io.mediasuite.invalidation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.mediasuite.common.EventHandler;
import io.mediasuite.common.Log;
import java.util.List;

/** Minimal SQS consumer; planning and CloudFront calls land with the invalidation issue. */
public final class InvalidationHandler extends EventHandler<SQSEvent, SQSBatchResponse> {

    public InvalidationHandler() {
        super(SQSEvent.class);
    }

    @Override
    protected SQSBatchResponse handle(SQSEvent event, Context context) {
        int records = event.getRecords() == null ? 0 : event.getRecords().size();
        Log.info("received batch", "records", records);
        return new SQSBatchResponse(List.of());
    }
}
