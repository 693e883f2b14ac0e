package io.mediasuite.devices;

import static io.mediasuite.devices.LocalDevices.CLOUD;
import static io.mediasuite.devices.LocalDevices.SNS;
import static io.mediasuite.devices.LocalDevices.apnsToken;
import static io.mediasuite.devices.LocalDevices.body;
import static io.mediasuite.devices.LocalDevices.call;
import static io.mediasuite.devices.LocalDevices.deviceId;
import static io.mediasuite.devices.LocalDevices.deviceRequest;
import static io.mediasuite.devices.LocalDevices.invoke;
import static io.mediasuite.devices.LocalDevices.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.Env;
import io.mediasuite.devices.registration.DeviceRecord;
import io.mediasuite.devices.registration.Platform;
import io.mediasuite.devices.registration.TokenOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The token-ownership races of issue 14, run for real: each racer is a separate "Lambda instance" (its own handler
 * object with its own SDK clients, built from the function's template environment), the racers of a trial are
 * released together by a latch, against DynamoDB Local and moto, and after every trial the invariants are checked
 * on the emulators' state:
 *
 * <ul>
 *   <li>each token is held by at most one device item, and its ownership item names that device and its endpoint
 *       (or nobody, when no device holds it) with nothing left to retire;</li>
 *   <li>each held token has exactly one SNS endpoint, the one its device points at; a token nobody holds has
 *       none (every endpoint is owned);</li>
 *   <li>every live device's endpoint exists and carries the device's token;</li>
 *   <li>every request answered 2xx (a lost race is retried inside, never surfaced), and every invocation of the
 *       feedback function succeeded.</li>
 * </ul>
 *
 * The trials use a platform application of their own, so after a trial's final clean-up (DELETE of its devices)
 * the application must hold no endpoint at all: nothing leaked by any trial so far. Trials per race:
 * {@code -Dtoken.races.trials=N} (default 50; the soak script runs thousands). moto 5.2.1's
 * CreatePlatformEndpoint checks for an existing token and then inserts, with no lock between, so racing creates of
 * one token can get two endpoints from it, which the registration must then retire; AWS documents the create as
 * idempotent but not what racing creates do, so the test does not assume either.
 */
class TokenOwnershipRaceTest {

    private static final int TRIALS = Integer.getInteger("token.races.trials", 50);
    private static final long SEED = Long.getLong("token.races.seed", System.nanoTime());

    private static String application;
    private static Env deviceEnv;
    private static Env feedbackEnv;
    /** Warm "instances": racers of a trial never share one; trials reuse them, as Lambda reuses instances. */
    private static final List<DeviceApiHandler> INSTANCES = new ArrayList<>();
    private static EndpointFeedbackHandler feedbackInstance;
    private static ExecutorService executor;

    private final Random random = new Random(SEED);

    @BeforeAll
    static void createApplicationAndInstances() {
        application = SNS.createPlatformApplication(b -> b.name("token-races-" + System.nanoTime()).platform("APNS")
                .attributes(Map.of("PlatformCredential", "local-key", "PlatformPrincipal", "local-cert")))
                .platformApplicationArn();
        deviceEnv = withApnsApplication("DeviceApiFunction");
        feedbackEnv = withApnsApplication("EndpointFeedbackFunction");
        for (int i = 0; i < 3; i++) {
            INSTANCES.add(new DeviceApiHandler(deviceEnv));
        }
        feedbackInstance = new EndpointFeedbackHandler(feedbackEnv);
        executor = Executors.newFixedThreadPool(2);
        System.out.println("token races: seed " + SEED + ", " + TRIALS + " trials per race");
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
        SNS.deletePlatformApplication(b -> b.platformApplicationArn(application));
    }

    private static Env withApnsApplication(String function) {
        Map<String, String> variables = new HashMap<>(CLOUD.functionEnvironment(function));
        variables.put("APNS_PLATFORM_APPLICATION_ARN", application);
        return Env.of(variables);
    }

    @Test
    void put_shouldLeaveOneOwnerAndOneEndpoint_whenTwoInstallationsRegisterOneTokenAtOnce() {
        for (int trial = 0; trial < TRIALS; trial++) {
            // given: a token, maybe already held by an older installation (reinstall, restore from backup)
            Trial t = new Trial();
            String token = t.token();
            String a = t.id();
            String b = t.id();
            if (random.nextBoolean()) {
                t.expect2xx(put(instance(2), t.id(), token));
            }

            // when
            t.race(() -> put(instance(0), a, token), () -> put(instance(1), b, token));

            // then: exactly one of the two racers holds it; the older installation is retired
            t.check();
            long holders = t.ids.stream().filter(id -> t.holds(id, token)).count();
            assertEquals(1, holders, t.describe("one holder"));
            assertTrue(t.holds(a, token) || t.holds(b, token), t.describe("a racer holds the token"));

            // and: whoever registers next, the loser included, takes the token over (the latest one wins)
            String loser = t.holds(a, token) ? b : a;
            t.expect2xx(put(instance(random.nextInt(2)), loser, token));
            t.check();
            assertTrue(t.holds(loser, token), t.describe("the latest registration holds the token"));
            t.cleanUp();
        }
    }

    @Test
    void put_shouldLeaveOneTokenAndOneEndpoint_whenOneInstallationRegistersTwoTokensAtOnce() {
        for (int trial = 0; trial < TRIALS; trial++) {
            // given: a new installation, or one holding a token already (first registration vs refresh)
            Trial t = new Trial();
            String id = t.id();
            if (random.nextBoolean()) {
                t.expect2xx(put(instance(2), id, t.token()));
            }
            String first = t.token();
            String second = t.token();

            // when
            t.race(() -> put(instance(0), id, first), () -> put(instance(1), id, second));

            // then
            t.check();
            assertTrue(t.holds(id, first) ^ t.holds(id, second), t.describe("holds one of the two tokens"));
            t.cleanUp();
        }
    }

    @Test
    void putAndDelete_shouldLeaveEitherADeviceWithItsEndpointOrNothing_whenTheyRaceOnOneInstallation() {
        for (int trial = 0; trial < TRIALS; trial++) {
            // given
            Trial t = new Trial();
            String id = t.id();
            String registered = t.token();
            t.expect2xx(put(instance(2), id, registered));
            String token = random.nextBoolean() ? registered : t.token();

            // when
            t.race(() -> put(instance(0), id, token), () -> call(instance(1), deviceRequest("DELETE", id, null)));

            // then: check() covers both outcomes (no endpoint without its device, no device without its endpoint)
            t.check();
            t.cleanUp();
        }
    }

    @Test
    void putAndFeedback_shouldKeepEveryDeviceOnALiveEndpoint_whenAnEndpointEventRacesARegistration() {
        for (int trial = 0; trial < TRIALS; trial++) {
            // given: SNS deleted or disabled the endpoint (an uninstall seen by APNs) and publishes the event
            Trial t = new Trial();
            String id = t.id();
            String token = t.token();
            String arn = body(t.expect2xx(put(instance(2), id, token))).path("endpointArn").asText();
            String event;
            if (random.nextBoolean()) {
                SNS.deleteEndpoint(b -> b.endpointArn(arn));
                event = EndpointFeedbackHandlerTest.snsEvent("EndpointDeleted", arn, null);
            } else {
                SNS.setEndpointAttributes(b -> b.endpointArn(arn).attributes(Map.of("Enabled", "false")));
                event = EndpointFeedbackHandlerTest.snsEvent("EndpointUpdated", arn, null);
            }

            // when: the app opens at that moment
            t.race(() -> put(instance(0), id, token), () -> new String(invoke(feedbackInstance, event)));

            // then
            t.check();
            t.cleanUp();
        }
    }

    private DeviceApiHandler instance(int index) {
        return INSTANCES.get(index);
    }

    private static APIGatewayProxyResponseEvent put(DeviceApiHandler instance, String id, String token) {
        return call(instance, deviceRequest("PUT", id, "{\"platform\":\"APNS\",\"token\":\"" + token
                + "\",\"location\":{\"lat\":52.52,\"lon\":13.4}}"));
    }

    /** One trial: its installations and tokens, and the invariant checks over them. */
    private final class Trial {

        final Set<String> ids = new LinkedHashSet<>();
        final Set<String> tokens = new LinkedHashSet<>();
        private final List<Object> outcomes = new ArrayList<>();
        private Map<String, List<String>> endpointsByToken = Map.of();

        String id() {
            String id = deviceId();
            ids.add(id);
            return id;
        }

        String token() {
            String token = apnsToken();
            tokens.add(token);
            return token;
        }

        APIGatewayProxyResponseEvent expect2xx(APIGatewayProxyResponseEvent response) {
            assertTrue(response.getStatusCode() / 100 == 2, describe("2xx, got " + response.getStatusCode() + " "
                    + response.getBody()));
            return response;
        }

        /** Runs both on two threads released at once by a latch, and keeps what each answered. */
        void race(Callable<?> first, Callable<?> second) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> racer : List.of(first, second)) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return racer.call();
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                try {
                    outcomes.add(future.get(30, TimeUnit.SECONDS));
                } catch (Exception e) {
                    fail(describe("a racer failed: " + e), e);
                }
            }
            for (Object outcome : outcomes) {
                if (outcome instanceof APIGatewayProxyResponseEvent response) {
                    expect2xx(response);
                }
            }
        }

        boolean holds(String id, String token) {
            Map<String, AttributeValue> device = item(id);
            return device != null && device.containsKey("token") && token.equals(device.get("token").s());
        }

        void check() {
            endpointsByToken = endpointsByToken();
            for (String token : tokens) {
                List<String> holders = ids.stream().filter(id -> holds(id, token)).toList();
                Map<String, AttributeValue> owner = item(TokenOwner.key(Platform.APNS,
                        DeviceRecord.tokenHash(Platform.APNS, token)));
                List<String> endpoints = endpointsByToken.getOrDefault(token, List.of());
                assertTrue(holders.size() <= 1, describe("one holder per token: " + holders));
                assertTrue(owner == null || !owner.containsKey("retiring"), describe("nothing left to retire: "
                        + owner));
                if (holders.isEmpty()) {
                    assertTrue(owner == null || !owner.containsKey("ownerId"), describe("no owner: " + owner));
                    assertEquals(List.of(), endpoints, describe("an unheld token has no endpoint"));
                } else {
                    String endpoint = item(holders.getFirst()).get("endpointArn").s();
                    assertEquals(holders.getFirst(), owner.get("ownerId").s(), describe("the holder owns it"));
                    assertEquals(endpoint, owner.get("ownerEndpoint").s(), describe("ownership names its endpoint"));
                    assertEquals(List.of(endpoint), endpoints, describe("one endpoint per token, the device's"));
                }
            }
            for (String id : ids) {
                Map<String, AttributeValue> device = item(id);
                if (device != null && !device.isEmpty()) {
                    assertTrue(tokens.contains(device.get("token").s()), describe("device on a trial token"));
                }
            }
        }

        /** Deletes the trial's devices and checks the application is then empty: no trial leaked an endpoint. */
        void cleanUp() {
            for (String id : ids) {
                expect2xx(call(instance(2), deviceRequest("DELETE", id, null)));
            }
            Map<String, List<String>> left = endpointsByToken();
            assertEquals(Map.of(), left, describe("endpoints left after deleting every device"));
        }

        private Map<String, List<String>> endpointsByToken() {
            Map<String, List<String>> byToken = new HashMap<>();
            SNS.listEndpointsByPlatformApplicationPaginator(b -> b.platformApplicationArn(application)).endpoints()
                    .forEach(e -> byToken.computeIfAbsent(e.attributes().get("Token"), k -> new ArrayList<>())
                            .add(e.endpointArn()));
            return byToken;
        }

        String describe(String what) {
            return what + " (seed " + SEED + ", ids " + ids + ", outcomes " + outcomes.stream()
                    .map(o -> o instanceof APIGatewayProxyResponseEvent r ? r.getStatusCode() + " " + r.getBody()
                            : String.valueOf(o)).toList() + ", endpoints " + endpointsByToken + ")";
        }
    }
}
