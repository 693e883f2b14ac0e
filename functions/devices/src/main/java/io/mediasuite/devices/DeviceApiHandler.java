package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.ApiException;
import io.mediasuite.common.ApiHandler;
import io.mediasuite.common.ApiResponses;
import io.mediasuite.common.AwsCallCounter;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.HttpRequests;
import io.mediasuite.devices.registration.DeviceRegistration;
import io.mediasuite.devices.registration.DeviceRegistry;
import io.mediasuite.devices.registration.DeviceTable;
import io.mediasuite.devices.registration.DeviceView;
import io.mediasuite.devices.registration.PlatformApplications;
import io.mediasuite.devices.registration.PlatformEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code PUT|GET|DELETE /devices/{deviceId}}: the app-facing registration API (API key + usage plan on the
 * routes). An adapter: validation in {@link DeviceRegistration}, everything else in {@link DeviceRegistry}.
 *
 * <ul>
 *   <li>PUT registers or refreshes; 201 with the device when this request created it, 200 otherwise.</li>
 *   <li>GET returns the device (without its token) or 404.</li>
 *   <li>DELETE removes the device and its SNS endpoint; 204, also when there was nothing to delete.</li>
 * </ul>
 *
 * Configuration: {@code DEVICES_TABLE}, the three {@code *_PLATFORM_APPLICATION_ARN}s, and
 * {@code DEVICE_RETENTION_DAYS} (default 90): how long an installation that stops registering is kept.
 */
public final class DeviceApiHandler extends ApiHandler {

    private final DeviceRegistry registry;

    public DeviceApiHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env} (the local runner and tests pass theirs). */
    public DeviceApiHandler(Env env) {
        this(registryFrom(env));
    }

    public DeviceApiHandler(DeviceRegistry registry) {
        this.registry = registry;
    }

    static DeviceRegistry registryFrom(Env env) {
        return registryFrom(env, Clock.systemUTC());
    }

    static DeviceRegistry registryFrom(Env env, Clock clock) {
        ConfigReader config = new ConfigReader(env);
        String table = config.required("DEVICES_TABLE");
        PlatformApplications applications = PlatformApplications.from(config);
        int retentionDays = config.integer("DEVICE_RETENTION_DAYS", 90, 2, 3650);
        AwsClients clients = new AwsClients(env);
        return new DeviceRegistry(
                new DeviceTable(clients.build(DynamoDbClient.builder(), "DYNAMODB"), table),
                new PlatformEndpoints(clients.build(SnsClient.builder(), "SNS"), applications),
                Duration.ofDays(retentionDays), clock);
    }

    @Override
    protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
        String deviceId = DeviceRegistration.validDeviceId(HttpRequests.pathParameter(request, "deviceId").orElse(null));
        String method = request.getHttpMethod() == null ? "" : request.getHttpMethod();
        return switch (method) {
            case "PUT" -> {
                DeviceRegistration registration = DeviceRegistration.parse(deviceId, HttpRequests.bodyText(request));
                AwsCallCounter.reset();
                DeviceRegistry.Registered registered = registry.register(registration);
                DeviceMetrics.registration(registered.created(), AwsCallCounter.calls());
                yield ApiResponses.json(registered.created() ? 201 : 200, DeviceView.of(registered.device()),
                        Map.of("Cache-Control", "no-store"));
            }
            case "GET" -> registry.find(deviceId)
                    .map(device -> ApiResponses.json(200, DeviceView.of(device), Map.of("Cache-Control", "no-store")))
                    .orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "no device " + deviceId));
            case "DELETE" -> {
                registry.delete(deviceId);
                yield ApiResponses.empty(204, Map.of());
            }
            default -> throw new ApiException(ApiException.Kind.METHOD_NOT_ALLOWED, "method " + method);
        };
    }
}
