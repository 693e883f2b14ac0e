package io.mediasuite.local;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import io.mediasuite.local.template.Intrinsics;
import io.mediasuite.local.template.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;
import software.amazon.awssdk.services.sns.model.PlatformApplication;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Creates template resources in the emulators on demand and answers their {@code Ref} and {@code GetAtt}
 * values. A resource is created the first time anything refers to it (or when {@link #provisionAll()} walks
 * the template), so dependencies such as a queue's dead-letter queue are created first without a separate
 * dependency graph. Types an emulator cannot hold (IAM roles, alarms, APIs) get stable placeholder values.
 */
final class ResourceProvisioner implements Intrinsics.Resolver, AutoCloseable {

    private final SamTemplate template;
    private final String stackName;
    private final Map<String, String> pseudo;
    private final AwsLocalClients clients;
    private final TableProvisioner tables;
    private final Map<String, Map<String, String>> created = new LinkedHashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final List<Runnable> afterAll = new ArrayList<>();
    private final java.util.function.Consumer<String> distributions;
    private Intrinsics intrinsics;

    /**
     * @param distributions registers a distribution id with the stack's CloudFront API (the CloudFront stand-in
     *                      the functions call), since moto's CloudFront is not the one they use
     */
    ResourceProvisioner(SamTemplate template, Map<String, String> env, String stackName, Map<String, String> pseudo,
                        java.util.function.Consumer<String> distributions) {
        this.template = template;
        this.stackName = stackName;
        this.pseudo = pseudo;
        this.clients = new AwsLocalClients(env);
        this.distributions = distributions;
        this.tables = new TableProvisioner(clients.dynamoDb);
    }

    void bind(Intrinsics intrinsics) {
        this.intrinsics = intrinsics;
    }

    Map<String, String> created() {
        Map<String, String> refs = new LinkedHashMap<>();
        created.forEach((id, values) -> refs.put(id, values.get("Ref")));
        return refs;
    }

    void provisionAll() {
        warmUp();
        for (String logicalId : template.resources().keySet()) {
            if (enabled(logicalId)) {
                ensure(logicalId);
            }
        }
        afterAll.forEach(Runnable::run);
        afterAll.clear();
    }

    /**
     * moto loads each service's backend on its first request, which takes a while; touching every service at
     * once overlaps those loads instead of paying them one after the other during provisioning.
     */
    private void warmUp() {
        List<java.util.concurrent.CompletableFuture<?>> calls = List.of(
                java.util.concurrent.CompletableFuture.runAsync(() -> clients.s3.listBuckets()),
                java.util.concurrent.CompletableFuture.runAsync(() -> clients.sqs.listQueues()),
                java.util.concurrent.CompletableFuture.runAsync(() -> clients.sns.listTopics()),
                java.util.concurrent.CompletableFuture.runAsync(() -> clients.dynamoDb.listTables()));
        calls.forEach(call -> call.exceptionally(e -> null).join());
    }

    @Override
    public String ref(String logicalId) {
        return ensure(logicalId).get("Ref");
    }

    @Override
    public String attribute(String logicalId, String attribute) {
        Map<String, String> values = ensure(logicalId);
        String value = values.get(attribute);
        if (value == null) {
            value = attribute.equals("Arn") ? "arn:aws:local:" + region() + ":" + account() + ":" + logicalId
                    : "local-" + logicalId + "-" + attribute;
        }
        return value;
    }

    /** Creates (or finds) an SNS platform application standing in for an ARN parameter. */
    String platformApplicationStandIn(String parameter) {
        String platform = parameter.startsWith("ApnsSandbox") ? "APNS_SANDBOX"
                : parameter.startsWith("Apns") ? "APNS" : "GCM";
        String name = stackName + "-" + parameter.replace("PlatformApplicationArn", "");
        for (PlatformApplication app : clients.sns.listPlatformApplicationsPaginator().platformApplications()) {
            if (app.platformApplicationArn().endsWith("/" + platform + "/" + name)) {
                return app.platformApplicationArn();
            }
        }
        return clients.sns.createPlatformApplication(b -> b.name(name).platform(platform)
                .attributes(Map.of("PlatformCredential", "local-credential", "PlatformPrincipal", "local-principal")))
                .platformApplicationArn();
    }

    private boolean enabled(String logicalId) {
        Object condition = template.resource(logicalId).get("Condition");
        return condition == null || intrinsics.condition(String.valueOf(condition));
    }

    private Map<String, String> ensure(String logicalId) {
        Map<String, String> existing = created.get(logicalId);
        if (existing != null) {
            return existing;
        }
        if (!template.resources().containsKey(logicalId)) {
            Map<String, String> published = publishedReference(logicalId);
            if (published != null) {
                return published;
            }
            // SAM-generated resources (e.g. ServerlessRestApi, <Function>Role) have no definition to create.
            return Map.of("Ref", "local-" + logicalId);
        }
        if (!inProgress.add(logicalId)) {
            throw new IllegalStateException("circular reference through " + logicalId);
        }
        try {
            Map<String, String> values = create(logicalId, template.type(logicalId));
            created.put(logicalId, values);
            return values;
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException refused) {
            // Say which resource and what the emulator said, in one line, instead of an SDK stack trace.
            throw new IllegalStateException(logicalId + " (" + template.type(logicalId) + "): the emulator refused it: "
                    + (refused.awsErrorDetails() == null ? refused.getMessage()
                            : refused.awsErrorDetails().errorMessage()), refused);
        } finally {
            inProgress.remove(logicalId);
        }
    }

    private Map<String, String> create(String logicalId, String type) {
        Map<String, Object> props = template.properties(logicalId);
        return switch (type) {
            case "AWS::DynamoDB::Table" -> table(logicalId, props);
            case "AWS::Serverless::SimpleTable" -> simpleTable(logicalId, props);
            case "AWS::S3::Bucket" -> bucket(logicalId, props);
            case "AWS::SQS::Queue" -> queue(logicalId, props);
            case "AWS::SNS::Topic" -> topic(logicalId, props);
            case "AWS::CloudFront::Distribution" -> distribution(logicalId);
            case "AWS::CloudFront::Function" -> cloudFrontFunction(logicalId, props);
            case "AWS::CloudFront::CachePolicy", "AWS::CloudFront::OriginRequestPolicy",
                 "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::OriginAccessControl" -> {
                String id = uuid(logicalId);
                yield Map.of("Ref", id, "Id", id);
            }
            case "AWS::Serverless::Function", "AWS::Lambda::Function" -> function(logicalId, props);
            case "AWS::Serverless::Api" -> Map.of("Ref", "local" + shortHash(logicalId), "RootResourceId", "root");
            default -> Map.of("Ref", "local-" + logicalId);
        };
    }

    /**
     * SAM's {@code !Ref Function.Version} and {@code !Ref Function.Alias} for a function with AutoPublishAlias: the
     * qualified ARNs of the version SAM publishes and of its alias. Locally the built code is version
     * {@value #LOCAL_VERSION}. {@code null} when {@code reference} is not of that form.
     */
    private Map<String, String> publishedReference(String reference) {
        int dot = reference.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String function = reference.substring(0, dot);
        String kind = reference.substring(dot + 1);
        if (kind.equals("Stage") && template.resources().containsKey(function)
                && "AWS::Serverless::Api".equals(template.type(function))) {
            // SAM's !Ref Api.Stage: the stage's name.
            Object stage = template.properties(function).getOrDefault("StageName", template.globals("Api").get("StageName"));
            return Map.of("Ref", stage == null ? "Prod" : intrinsics.resolveString(stage));
        }
        if (!"AWS::Serverless::Function".equals(template.resources().containsKey(function) ? template.type(function) : null)
                || !(kind.equals("Version") || kind.equals("Alias"))) {
            return null;
        }
        String alias = publishedAlias(function);
        if (alias == null) {
            throw new IllegalStateException("!Ref " + reference + ": " + function + " has no AutoPublishAlias");
        }
        String arn = ensure(function).get("Arn");
        String qualified = arn + ":" + (kind.equals("Version") ? LOCAL_VERSION : alias);
        return kind.equals("Version") ? Map.of("Ref", qualified, "Version", LOCAL_VERSION)
                : Map.of("Ref", qualified, "Name", alias);
    }

    /** The function's AutoPublishAlias (its own, else Globals'), or {@code null} when it publishes none. */
    String publishedAlias(String function) {
        Object alias = template.functionProperty(function, "AutoPublishAlias").orElse(null);
        String name = alias == null ? null : intrinsics.resolveString(alias);
        return name == null || name.isBlank() ? null : name;
    }

    /** The version number the local stack reports for a function's published version. */
    static final String LOCAL_VERSION = "1";

    private Map<String, String> function(String logicalId, Map<String, Object> props) {
        String name = props.containsKey("FunctionName") ? intrinsics.resolveString(props.get("FunctionName"))
                : truncate(stackName + "-" + logicalId, 64);
        return Map.of("Ref", name, "Arn", "arn:aws:lambda:" + region() + ":" + account() + ":function:" + name);
    }

    private Map<String, String> table(String logicalId, Map<String, Object> raw) {
        Map<String, Object> props = map(intrinsics.resolve(raw));
        String name = props.containsKey("TableName") ? String.valueOf(props.get("TableName"))
                : stackName + "-" + logicalId;
        TableDescription table = tables.ensure(name, props);
        String arn = "arn:aws:dynamodb:" + region() + ":" + account() + ":table/" + name;
        Map<String, String> values = new HashMap<>(Map.of("Ref", name, "Arn", arn));
        if (table.latestStreamArn() != null && table.streamSpecification() != null
                && Boolean.TRUE.equals(table.streamSpecification().streamEnabled())) {
            values.put("StreamArn", table.latestStreamArn());
        }
        return values;
    }

    private Map<String, String> simpleTable(String logicalId, Map<String, Object> raw) {
        Map<String, Object> props = map(intrinsics.resolve(raw));
        Map<String, Object> key = map(props.get("PrimaryKey"));
        String keyName = key.isEmpty() ? "id" : String.valueOf(key.get("Name"));
        String keyType = switch (key.isEmpty() ? "String" : String.valueOf(key.get("Type"))) {
            case "Number" -> "N";
            case "Binary" -> "B";
            default -> "S";
        };
        Map<String, Object> table = new LinkedHashMap<>();
        if (props.containsKey("TableName")) {
            table.put("TableName", props.get("TableName"));
        }
        table.put("BillingMode", "PAY_PER_REQUEST");
        table.put("AttributeDefinitions", List.of(Map.of("AttributeName", keyName, "AttributeType", keyType)));
        table.put("KeySchema", List.of(Map.of("AttributeName", keyName, "KeyType", "HASH")));
        return table(logicalId, table);
    }

    private Map<String, String> bucket(String logicalId, Map<String, Object> raw) {
        Map<String, Object> props = map(intrinsics.resolve(withoutNotifications(raw)));
        String name = props.containsKey("BucketName") ? String.valueOf(props.get("BucketName"))
                : bucketName(logicalId);
        try {
            clients.s3.headBucket(b -> b.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException absent) {
            clients.s3.createBucket(b -> b.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            clients.s3.createBucket(b -> b.bucket(name));
        }
        if (raw.containsKey("NotificationConfiguration")) {
            // Queues and topics may refer back to the bucket (their policies name its ARN): wire notifications
            // once everything exists.
            afterAll.add(() -> notifications(name, map(intrinsics.resolve(raw.get("NotificationConfiguration")))));
        }
        return Map.of("Ref", name, "Arn", "arn:aws:s3:::" + name,
                "DomainName", name + ".s3.amazonaws.com",
                "RegionalDomainName", name + ".s3." + region() + ".amazonaws.com",
                "WebsiteURL", "http://" + name + ".s3-website-" + region() + ".amazonaws.com");
    }

    private static Map<String, Object> withoutNotifications(Map<String, Object> props) {
        Map<String, Object> copy = new LinkedHashMap<>(props);
        copy.remove("NotificationConfiguration");
        return copy;
    }

    private void notifications(String bucket, Map<String, Object> config) {
        List<QueueConfiguration> queues = list(config.get("QueueConfigurations")).stream().map(q ->
                QueueConfiguration.builder().queueArn(str(q, "Queue")).events(Event.fromValue(str(q, "Event")))
                        .filter(filter(map(q).get("Filter"))).build()).toList();
        List<TopicConfiguration> topics = list(config.get("TopicConfigurations")).stream().map(t ->
                TopicConfiguration.builder().topicArn(str(t, "Topic")).events(Event.fromValue(str(t, "Event")))
                        .filter(filter(map(t).get("Filter"))).build()).toList();
        NotificationConfiguration wanted = NotificationConfiguration.builder().queueConfigurations(queues)
                .topicConfigurations(topics).build();
        var current = clients.s3.getBucketNotificationConfiguration(b -> b.bucket(bucket));
        if (notificationShape(current.queueConfigurations(), current.topicConfigurations(),
                current.lambdaFunctionConfigurations()).equals(notificationShape(queues, topics, List.of()))) {
            // Each put makes S3 (and moto) send one more s3:TestEvent to every destination.
            return;
        }
        clients.s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(wanted));
    }

    /** A notification configuration as a set of comparable lines (ids and rule order do not matter). */
    private static Set<String> notificationShape(List<QueueConfiguration> queues, List<TopicConfiguration> topics,
                                                 List<software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration> lambdas) {
        Set<String> lines = new java.util.TreeSet<>();
        queues.forEach(q -> lines.add("queue " + q.queueArn() + " " + new java.util.TreeSet<>(q.eventsAsStrings())
                + " " + filterShape(q.filter())));
        topics.forEach(t -> lines.add("topic " + t.topicArn() + " " + new java.util.TreeSet<>(t.eventsAsStrings())
                + " " + filterShape(t.filter())));
        lambdas.forEach(l -> lines.add("lambda " + l.lambdaFunctionArn() + " "
                + new java.util.TreeSet<>(l.eventsAsStrings()) + " " + filterShape(l.filter())));
        return lines;
    }

    private static String filterShape(software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter filter) {
        if (filter == null || filter.key() == null || !filter.key().hasFilterRules()) {
            return "[]";
        }
        return new java.util.TreeSet<>(filter.key().filterRules().stream()
                .map(r -> r.nameAsString().toLowerCase(Locale.ROOT) + "=" + r.value()).toList()).toString();
    }

    private static software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter filter(Object raw) {
        List<Object> rules = list(map(map(raw).get("S3Key")).get("Rules"));
        if (rules.isEmpty()) {
            return null;
        }
        return software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter.builder()
                .key(k -> k.filterRules(rules.stream().map(r -> FilterRule.builder().name(str(r, "Name"))
                        .value(str(r, "Value")).build()).toList()))
                .build();
    }

    private Map<String, String> queue(String logicalId, Map<String, Object> raw) {
        Map<String, Object> props = map(intrinsics.resolve(raw));
        boolean fifo = Boolean.parseBoolean(String.valueOf(props.get("FifoQueue")));
        String name = props.containsKey("QueueName") ? String.valueOf(props.get("QueueName"))
                : truncate(stackName + "-" + logicalId, fifo ? 75 : 80) + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        copyAttribute(props, "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT, attributes);
        copyAttribute(props, "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD, attributes);
        copyAttribute(props, "DelaySeconds", QueueAttributeName.DELAY_SECONDS, attributes);
        copyAttribute(props, "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, attributes);
        copyAttribute(props, "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE, attributes);
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            copyAttribute(props, "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, attributes);
        }
        Map<String, Object> redrive = map(props.get("RedrivePolicy"));
        if (!redrive.isEmpty()) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, io.mediasuite.local.Jsons.write(redrive));
        }
        String url = ensureQueue(name, attributes);
        String arn = clients.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return Map.of("Ref", url, "Arn", arn, "QueueName", name, "QueueUrl", url);
    }

    /**
     * Attributes SQS gives a queue whose template leaves them out: a second run resets an attribute the template
     * no longer sets, as CloudFormation does. MaximumMessageSize is left alone when unset (its default changed
     * over time, so emulators differ).
     */
    private static final Map<QueueAttributeName, String> QUEUE_DEFAULTS = Map.of(
            QueueAttributeName.VISIBILITY_TIMEOUT, "30",
            QueueAttributeName.MESSAGE_RETENTION_PERIOD, "345600",
            QueueAttributeName.DELAY_SECONDS, "0",
            QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "0",
            QueueAttributeName.REDRIVE_POLICY, "");

    /** Creates the queue, or brings the one an earlier run left in line with {@code attributes}; its URL. */
    private String ensureQueue(String name, Map<QueueAttributeName, String> attributes) {
        String url;
        try {
            url = clients.sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException absent) {
            return clients.sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        }
        Map<QueueAttributeName, String> current = clients.sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributes();
        Map<QueueAttributeName, String> wanted = new LinkedHashMap<>(QUEUE_DEFAULTS);
        wanted.putAll(attributes);
        Map<QueueAttributeName, String> changes = new LinkedHashMap<>();
        List<String> described = new ArrayList<>();
        wanted.forEach((attribute, value) -> {
            String now = current.getOrDefault(attribute, "");
            if (!sameQueueAttribute(attribute, now, value)) {
                changes.put(attribute, value);
                described.add(attribute + " " + (now.isEmpty() ? "(none)" : now) + " -> "
                        + (value.isEmpty() ? "(none)" : value));
            }
        });
        if (changes.containsKey(QueueAttributeName.FIFO_QUEUE)) {
            throw new CannotReconcileException("queue", name, "FifoQueue=" + current.get(QueueAttributeName.FIFO_QUEUE)
                    + " where the template declares " + attributes.get(QueueAttributeName.FIFO_QUEUE));
        }
        if (!changes.isEmpty()) {
            try {
                clients.sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(changes));
            } catch (SqsException refused) {
                throw new CannotReconcileException("queue", name, String.join(", ", described)
                        + " to change, which the emulator refuses (" + refused.awsErrorDetails().errorMessage() + ")");
            }
            System.err.println("sam-local: queue " + name + ": " + String.join(", ", described)
                    + " (the template changed since the last run)");
        }
        return url;
    }

    private static boolean sameQueueAttribute(QueueAttributeName attribute, String current, String wanted) {
        if (attribute == QueueAttributeName.REDRIVE_POLICY && !current.isEmpty() && !wanted.isEmpty()) {
            // SQS hands the policy back re-serialised, maxReceiveCount as a number or a string.
            var now = io.mediasuite.local.Jsons.MAPPER.convertValue(parse(current), Map.class);
            var then = io.mediasuite.local.Jsons.MAPPER.convertValue(parse(wanted), Map.class);
            return String.valueOf(now.get("deadLetterTargetArn")).equals(String.valueOf(then.get("deadLetterTargetArn")))
                    && String.valueOf(now.get("maxReceiveCount")).equals(String.valueOf(then.get("maxReceiveCount")));
        }
        return current.equalsIgnoreCase(wanted);
    }

    private static Object parse(String json) {
        try {
            return io.mediasuite.local.Jsons.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    private static void copyAttribute(Map<String, Object> props, String property, QueueAttributeName attribute,
                                      Map<QueueAttributeName, String> into) {
        if (props.get(property) != null) {
            into.put(attribute, String.valueOf(props.get(property)));
        }
    }

    private Map<String, String> topic(String logicalId, Map<String, Object> raw) {
        Map<String, Object> props = map(intrinsics.resolve(raw));
        String name = props.containsKey("TopicName") ? String.valueOf(props.get("TopicName"))
                : truncate(stackName + "-" + logicalId, 256);
        String arn = clients.sns.createTopic(b -> b.name(name)).topicArn();
        return Map.of("Ref", arn, "TopicArn", arn, "TopicName", name);
    }

    /**
     * The distribution is registered with the stack's CloudFront API under an id derived from the stack name and
     * logical id, so every run of the same stack finds the same distribution (nothing is created in moto: a
     * second run there used to end in DistributionAlreadyExists).
     */
    private Map<String, String> distribution(String logicalId) {
        String hash = base32Hash(stackName + "/" + logicalId, 13);
        String id = "E" + hash;
        distributions.accept(id);
        return Map.of("Ref", id, "Id", id, "DomainName", "d" + hash.toLowerCase(Locale.ROOT) + ".cloudfront.net");
    }

    /** {@code Ref} and {@code FunctionARN} of a CloudFront Function are its ARN; its name is FunctionName's value. */
    private Map<String, String> cloudFrontFunction(String logicalId, Map<String, Object> props) {
        String name = props.containsKey("Name") ? intrinsics.resolveString(props.get("Name"))
                : truncate(stackName + "-" + logicalId, 64);
        String arn = "arn:aws:cloudfront::" + account() + ":function/" + name;
        return Map.of("Ref", arn, "FunctionARN", arn, "Stage", "LIVE");
    }

    /** A UUID-shaped id derived from the stack and logical id (CloudFront policy and OAC ids look like this). */
    private String uuid(String logicalId) {
        String hex = HexFormat.of().formatHex(sha256(stackName + "/" + logicalId), 0, 16);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20, 32);
    }

    private static String base32Hash(String value, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] digest = sha256(value);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt((digest[i] & 0xff) % 32));
        }
        return out.toString();
    }

    private String bucketName(String logicalId) {
        String name = (stackName + "-" + logicalId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return name.length() <= 63 ? name : name.substring(0, 54) + "-" + shortHash(name);
    }

    private static String str(Object node, String key) {
        return String.valueOf(map(node).get(key));
    }

    private String region() {
        return pseudo.get("AWS::Region");
    }

    private String account() {
        return pseudo.get("AWS::AccountId");
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 9) + "-" + shortHash(value);
    }

    private static String shortHash(String value) {
        return HexFormat.of().formatHex(sha256(value), 0, 4);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}
