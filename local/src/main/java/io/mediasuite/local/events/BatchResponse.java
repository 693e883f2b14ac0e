package io.mediasuite.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediasuite.local.Jsons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A function's partial-batch response ({@code {"batchItemFailures": [{"itemIdentifier": ...}]}}), as Lambda reads it. */
final class BatchResponse {

    private BatchResponse() {
    }

    /**
     * The item identifiers the response reports as failed: empty for an empty or null response, a response without
     * failures or an empty list; {@link Optional#empty()} when the response is not a valid batch response (not JSON,
     * not an object, failures not a list, an identifier missing or empty), which fails the whole batch.
     */
    static Optional<List<String>> reportedFailures(byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.equals("null")) {
            return Optional.of(List.of());
        }
        JsonNode root;
        try {
            root = Jsons.MAPPER.readTree(text);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!root.isObject()) {
            return Optional.empty();
        }
        JsonNode failures = root.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return Optional.of(List.of());
        }
        if (!failures.isArray()) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return Optional.empty();
            }
            ids.add(id.asText());
        }
        return Optional.of(ids);
    }
}
