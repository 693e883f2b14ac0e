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
import io.mediasuite.devices.push.NotificationRequest;
import io.mediasuite.devices.push.NotificationService;
import io.mediasuite.devices.push.NotificationStore;
import io.mediasuite.devices.push.PushQueue;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code POST /notifications} and {@code GET /notifications/{notificationId}}: the operator API (AWS_IAM auth on
 * both routes). POST validates the send, records it and queues its planning (one write and one message, whatever
 * the radius), and answers 202 with the notification id and a Location to poll; GET returns the progress and the counts (matched, sent, disabled, removed, failed).
 *
 * Configuration: {@code NOTIFICATIONS_TABLE}, {@code PUSH_QUEUE_URL}.
 */
public final class NotificationApiHandler extends ApiHandler {

    private static final Pattern NOTIFICATION_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final NotificationService notifications;

    public NotificationApiHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env}. */
    public NotificationApiHandler(Env env) {
        this(serviceFrom(env));
    }

    public NotificationApiHandler(NotificationService notifications) {
        this.notifications = notifications;
    }

    private static NotificationService serviceFrom(Env env) {
        ConfigReader config = new ConfigReader(env);
        String table = config.required("NOTIFICATIONS_TABLE");
        String queueUrl = config.required("PUSH_QUEUE_URL");
        AwsClients clients = new AwsClients(env);
        return new NotificationService(new NotificationStore(clients.build(DynamoDbClient.builder(), "DYNAMODB"), table),
                new PushQueue(clients.build(SqsClient.builder(), "SQS"), queueUrl), Clock.systemUTC());
    }

    @Override
    protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, Context context) {
        String method = request.getHttpMethod() == null ? "" : request.getHttpMethod();
        var notificationId = HttpRequests.pathParameter(request, "notificationId");
        if (notificationId.isPresent()) {
            if (!method.equals("GET")) {
                throw new ApiException(ApiException.Kind.METHOD_NOT_ALLOWED, "method " + method);
            }
            String id = notificationId.get();
            if (!NOTIFICATION_ID.matcher(id).matches()) {
                throw ApiException.invalid("notificationId", "must be a notification id as returned by POST /notifications");
            }
            return notifications.status(id)
                    .map(status -> ApiResponses.json(200, status, Map.of("Cache-Control", "no-store")))
                    .orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "no notification " + id));
        }
        if (!method.equals("POST")) {
            throw new ApiException(ApiException.Kind.METHOD_NOT_ALLOWED, "method " + method);
        }
        NotificationRequest send = NotificationRequest.parse(HttpRequests.bodyText(request));
        NotificationService.Accepted accepted = notifications.send(send, caller(request));
        DeviceMetrics.sendAccepted();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("notificationId", accepted.notificationId());
        body.put("status", "PLANNING");
        return ApiResponses.json(202, body, Map.of("Location", location(request, accepted.notificationId())));
    }

    /** Where to poll: the path the client called (stage prefix included, as API Gateway reports it) plus the id. */
    private static String location(APIGatewayProxyRequestEvent request, String notificationId) {
        var context = request.getRequestContext();
        String path = context != null && context.getPath() != null ? context.getPath() : request.getPath();
        if (path == null || path.isBlank()) {
            path = "/notifications";
        }
        return (path.endsWith("/") ? path : path + "/") + notificationId;
    }

    /** The IAM principal API Gateway authenticated (AWS_IAM auth), kept with the notification for audit. */
    private static String caller(APIGatewayProxyRequestEvent request) {
        var context = request.getRequestContext();
        if (context == null || context.getIdentity() == null) {
            return null;
        }
        return context.getIdentity().getUserArn();
    }
}
