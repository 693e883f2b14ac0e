package io.mediasuite.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The runner's own JSON mapper (the functions have theirs, in their own class loaders). */
public final class Jsons {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Jsons() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
