package io.mediasuite.devices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.mediasuite.common.ApiException;
import io.mediasuite.common.ApiHandler;
import io.mediasuite.common.ApiResponses;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import io.mediasuite.common.HttpRequests;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code /devices/{deviceId}}: minimal read path; registration lands with the devices issue. */
public final class DeviceApiHandler extends ApiHandler {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DeviceApiHandler() {
        this(Env.current());
    }

    private DeviceApiHandler(Env env) {
        this(new AwsClients(env).build(DynamoDbClient.builder(), "DYNAMODB"), new ConfigReader(env).required("DEVICES_TABLE"));
    }

    public DeviceApiHandler(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
        String deviceId = HttpRequests.pathParameter(request, "deviceId")
                .orElseThrow(() -> ApiException.invalid("deviceId", "is required"));
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("deviceId", AttributeValue.fromS(deviceId)))).item();
        if (item == null || item.isEmpty()) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "no device " + deviceId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        item.forEach((name, value) -> body.put(name, value.s() != null ? value.s() : value.toString()));
        return ApiResponses.json(200, body);
    }
}
