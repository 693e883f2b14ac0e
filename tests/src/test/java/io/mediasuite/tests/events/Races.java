package io.mediasuite.tests.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.LocalSuite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.Endpoint;

/** Runs registrations at the same instant and checks the token invariants of the devices issue afterwards. */
final class Races {

    private Races() {
    }

    /** Starts every call at once (released together by a latch) and returns their results in order. */
    @SafeVarargs
    static <T> List<T> together(Callable<T>... calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(calls.length)) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(threads.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    /**
     * The invariants: each token is held by exactly one device item when some item holds it; every SNS endpoint
     * of the tokens is the endpoint of the item holding its token (one endpoint per token, none without an owner);
     * every device item has an endpoint that exists.
     */
    static void assertInvariants(SuiteClient client, LocalSuite suite, String trial, List<String> deviceIds,
                                 List<String> tokens) {
        String table = suite.cloud().physicalId("DevicesTable");
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (String id : deviceIds) {
            Map<String, AttributeValue> item = client.dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("deviceId", AttributeValue.fromS(id)))).item();
            if (item != null && !item.isEmpty()) {
                items.put(id, item);
            }
        }
        Map<String, List<String>> endpointsByToken = new HashMap<>();
        Set<String> liveEndpoints = new HashSet<>();
        for (String parameter : List.of("ApnsPlatformApplicationArn", "FcmPlatformApplicationArn")) {
            String app = suite.cloud().parameters().get(parameter);
            for (Endpoint endpoint : client.sns.listEndpointsByPlatformApplicationPaginator(b -> b
                    .platformApplicationArn(app)).endpoints()) {
                liveEndpoints.add(endpoint.endpointArn());
                String token = endpoint.attributes().get("Token");
                if (tokens.contains(token)) {
                    endpointsByToken.computeIfAbsent(token, t -> new ArrayList<>()).add(endpoint.endpointArn());
                }
            }
        }
        assertTrue(!items.isEmpty(), trial + ": the registrations left no device");
        for (String token : tokens) {
            List<String> owners = items.entrySet().stream()
                    .filter(e -> token.equals(e.getValue().get("token").s())).map(Map.Entry::getKey).toList();
            List<String> endpoints = endpointsByToken.getOrDefault(token, List.of());
            assertTrue(owners.size() <= 1, trial + ": token owned by " + owners);
            if (owners.isEmpty()) {
                assertEquals(List.of(), endpoints, trial + ": endpoint without an owner for a token nobody holds");
            } else {
                String endpoint = items.get(owners.getFirst()).get("endpointArn").s();
                assertEquals(List.of(endpoint), endpoints, trial + ": endpoints of the token held by " + owners);
            }
        }
        if (deviceIds.size() > 1) {
            Set<String> held = new HashSet<>();
            items.values().forEach(item -> held.add(item.get("token").s()));
            assertTrue(held.containsAll(tokens), trial + ": a token registered by both installations is held by none: "
                    + items.keySet());
        }
        items.forEach((id, item) -> assertTrue(liveEndpoints.contains(item.get("endpointArn").s()),
                trial + ": device " + id + " points at an endpoint that does not exist"));
    }
}
