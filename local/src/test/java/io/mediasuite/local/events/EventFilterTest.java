package io.mediasuite.local.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.Jsons;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    private static final String TTL_REMOVALS = """
            {"eventName": ["REMOVE"],
             "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}}""";

    @Test
    void matches_shouldSelectTtlRemovals_whenTheUserIdentityIsDynamoDb() {
        // given
        EventFilter filter = EventFilter.of(List.of(TTL_REMOVALS));

        // when / then
        assertTrue(filter.matches(record("{\"eventName\":\"REMOVE\",\"userIdentity\":{\"type\":\"Service\","
                + "\"principalId\":\"dynamodb.amazonaws.com\"}}")));
        assertFalse(filter.matches(record("{\"eventName\":\"REMOVE\"}")), "a delete by a user has no userIdentity");
        assertFalse(filter.matches(record("{\"eventName\":\"MODIFY\",\"userIdentity\":{\"type\":\"Service\","
                + "\"principalId\":\"dynamodb.amazonaws.com\"}}")));
    }

    @Test
    void matches_shouldApplyEachMatcher_whenPatternsUseOperators() {
        // given
        Map<String, Object> record = record("""
                {"dynamodb": {"Keys": {"deviceId": {"S": "ios-123"}}, "NewImage": {"platform": {"S": "APNS"}}},
                 "size": 42, "tags": ["a", "b"], "flag": null}""");

        // when / then
        assertTrue(matches("{\"dynamodb\":{\"Keys\":{\"deviceId\":{\"S\":[{\"prefix\":\"ios-\"}]}}}}", record));
        assertFalse(matches("{\"dynamodb\":{\"Keys\":{\"deviceId\":{\"S\":[{\"prefix\":\"and-\"}]}}}}", record));
        assertTrue(matches("{\"dynamodb\":{\"Keys\":{\"deviceId\":{\"S\":[{\"suffix\":\"123\"}]}}}}", record));
        assertTrue(matches("{\"dynamodb\":{\"NewImage\":{\"platform\":{\"S\":[{\"equals-ignore-case\":\"apns\"}]}}}}", record));
        assertTrue(matches("{\"dynamodb\":{\"OldImage\":[{\"exists\":false}]}}", record));
        assertFalse(matches("{\"dynamodb\":{\"NewImage\":[{\"exists\":false}]}}", record));
        assertTrue(matches("{\"size\":[{\"numeric\":[\">\",40,\"<=\",42]}]}", record));
        assertFalse(matches("{\"size\":[{\"numeric\":[\"<\",42]}]}", record));
        assertTrue(matches("{\"size\":[42]}", record));
        assertTrue(matches("{\"tags\":[\"b\"]}", record), "an array field matches when one element does");
        assertTrue(matches("{\"size\":[{\"anything-but\":[1,2]}]}", record));
        assertFalse(matches("{\"tags\":[{\"anything-but\":[\"a\",\"b\"]}]}", record));
        assertTrue(matches("{\"flag\":[null]}", record));
        assertFalse(matches("{\"missing\":[\"x\"]}", record));
    }

    @Test
    void matches_shouldDeliver_whenAnyPatternMatches() {
        // given
        EventFilter filter = EventFilter.of(List.of("{\"eventName\":[\"INSERT\"]}", "{\"eventName\":[\"REMOVE\"]}"));

        // when / then
        assertTrue(filter.matches(record("{\"eventName\":\"REMOVE\"}")));
        assertFalse(filter.matches(record("{\"eventName\":\"MODIFY\"}")));
        assertTrue(EventFilter.of(List.of()).matches(record("{}")), "no criteria: every record");
    }

    @Test
    void of_shouldRefuseThePattern_whenItIsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> EventFilter.of(List.of("{\"eventName\":\"REMOVE\"}")));
        assertThrows(IllegalArgumentException.class, () -> EventFilter.of(List.of("[1]")));
        assertThrows(IllegalArgumentException.class, () -> EventFilter.of(List.of("not json")));
    }

    private static boolean matches(String pattern, Map<String, Object> record) {
        return EventFilter.of(List.of(pattern)).matches(record);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(String json) {
        try {
            return Jsons.MAPPER.readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
