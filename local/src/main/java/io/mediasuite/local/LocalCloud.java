package io.mediasuite.local;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;

import io.mediasuite.local.cloudfront.CloudFrontTestServer;
import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import io.mediasuite.local.template.Intrinsics;
import io.mediasuite.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A local copy of the stack template.yaml describes: it creates, in the emulators, every resource the template
 * declares that an emulator can hold (DynamoDB tables with their keys and indexes, S3 buckets and their
 * notifications, SQS queues with redrive, SNS topics) and local stand-ins for parameters that name things made
 * outside the stack (SNS platform applications). Its CloudFront distributions live in an in-process CloudFront
 * API ({@link #cloudFront()}), which the functions call. It then answers what a
 * function's environment is, exactly as SAM would assemble it from Globals and the function's properties.
 *
 * <p>Physical names are derived from the stack name and logical ids (and the stack id's UUID, itself derived from
 * the stack name), so a second run against the same emulators (say, a moto you keep running) finds what the first
 * one created and brings it in line with the template, and two stack names share no resource.
 */
public final class LocalCloud implements AutoCloseable {

    public static final String DEFAULT_STACK = "media-suite-local";

    /**
     * How long a local invalidation stays InProgress before it completes (and the local edge purges): the
     * variable {@value #INVALIDATION_SECONDS_VARIABLE} overrides the default of 2 s. CloudFront's own take
     * minutes; locally a deploy should show its effect quickly.
     */
    public static final String INVALIDATION_SECONDS_VARIABLE = "SAM_LOCAL_INVALIDATION_SECONDS";
    static final Duration DEFAULT_INVALIDATION_COMPLETION = Duration.ofSeconds(2);

    private static LocalCloud shared;

    private final SamTemplate template;
    private final Emulators emulators;
    private final String stackName;
    private final Map<String, String> parameters;
    private final Map<String, String> pseudo;
    private final Intrinsics intrinsics;
    private final ResourceProvisioner provisioner;
    private LambdaInvokeServer lambdaService;
    private LocalCodeDeploy codeDeploy;
    private final CloudFrontTestServer cloudFront;
    private final Map<String, LocalLambda> invokable = new LinkedHashMap<>();

    private LocalCloud(SamTemplate template, Emulators emulators, String stackName, Map<String, String> overrides) {
        this.template = template;
        this.emulators = emulators;
        this.stackName = stackName;
        this.pseudo = Map.of(
                "AWS::Region", emulators.environment().get("AWS_REGION"),
                "AWS::AccountId", "123456789012",
                "AWS::StackName", stackName,
                "AWS::StackId", stackId(emulators.environment().get("AWS_REGION"), stackName),
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "amazonaws.com");
        this.parameters = new LinkedHashMap<>();
        this.cloudFront = CloudFrontTestServer.start()
                .useWallClock(invalidationCompletion(System.getenv(INVALIDATION_SECONDS_VARIABLE)));
        this.provisioner = new ResourceProvisioner(template, emulators.environment(), stackName, pseudo,
                cloudFront::addDistribution);
        this.intrinsics = new Intrinsics(template, parameters, pseudo, provisioner);
        provisioner.bind(intrinsics);
        try {
            parameters.putAll(resolveParameters(overrides));
            provisioner.provisionAll();
        } catch (RuntimeException e) {
            cloudFront.close();
            provisioner.close();
            throw e;
        }
    }

    static Duration invalidationCompletion(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_INVALIDATION_COMPLETION;
        }
        try {
            double value = Double.parseDouble(seconds.trim());
            if (value >= 0 && value <= 3600) {
                return Duration.ofMillis(Math.round(value * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(INVALIDATION_SECONDS_VARIABLE + " must be a number of seconds from 0 to 3600, got "
                + seconds);
    }

    /**
     * The stack's {@code AWS::StackId}: CloudFormation's form, {@code arn:...:stack/<name>/<uuid>}, with a UUID
     * derived from the region and stack name. Templates use that UUID in physical names (the site bucket's), so it
     * must be the same on every run of one stack and differ between two stacks, which a fixed value did not.
     */
    static String stackId(String region, String stackName) {
        UUID uuid = UUID.nameUUIDFromBytes(("sam-local:" + region + ":" + stackName).getBytes(StandardCharsets.UTF_8));
        return "arn:aws:cloudformation:" + region + ":123456789012:stack/" + stackName + "/" + uuid;
    }

    /**
     * Provisions {@code templateFile}'s resources into {@code emulators}.
     *
     * @param overrides parameter values, as {@code --parameter-overrides} gives them
     */
    public static LocalCloud start(Path templateFile, Emulators emulators, String stackName,
                                   Map<String, String> overrides) {
        return new LocalCloud(SamTemplate.load(templateFile), emulators, stackName, overrides);
    }

    /** The project's template provisioned into {@link Emulators#shared()}, once per JVM (for tests). */
    public static synchronized LocalCloud shared() {
        if (shared == null) {
            shared = start(ProjectLayout.root().resolve("template.yaml"), Emulators.shared(), DEFAULT_STACK, Map.of());
        }
        return shared;
    }

    public SamTemplate template() {
        return template;
    }

    public Emulators emulators() {
        return emulators;
    }

    public String stackName() {
        return stackName;
    }

    /** Resolved parameter values, stand-ins included. */
    public Map<String, String> parameters() {
        return Map.copyOf(parameters);
    }

    /** What {@code !Ref logicalId} gives: table name, bucket name, queue URL, topic ARN, distribution id, ... */
    public String physicalId(String logicalId) {
        return provisioner.ref(logicalId);
    }

    /** What {@code !GetAtt logicalId.attribute} gives. */
    public String attribute(String logicalId, String attribute) {
        return provisioner.attribute(logicalId, attribute);
    }

    /** Resolves any template expression against this stack (tests use it to check what a value becomes). */
    public Object resolve(Object expression) {
        return intrinsics.resolve(expression);
    }

    /**
     * The stack's CloudFront API (in process, on the wall clock): the template's distributions are registered in it,
     * the functions' {@code AWS_ENDPOINT_URL_CLOUDFRONT} points at it, and its completed invalidations are what a
     * local edge purges (see {@link CloudFrontTestServer#addListener}).
     */
    public CloudFrontTestServer cloudFront() {
        return cloudFront;
    }

    /** Logical ids of the template's functions. */
    public List<String> functionIds() {
        return template.functions();
    }

    /** The function's environment, as Lambda would set it; see {@link #function(String)}. */
    public Map<String, String> functionEnvironment(String logicalId) {
        return function(logicalId).environment();
    }

    /**
     * A function as SAM would run it: handler, memory, timeout, routes, and its environment: Lambda's runtime
     * variables, the emulator endpoints, then the template's Globals and function variables with intrinsics
     * resolved.
     */
    public FunctionSpec function(String logicalId) {
        if (!"AWS::Serverless::Function".equals(template.type(logicalId))) {
            throw new IllegalArgumentException(logicalId + " is not an AWS::Serverless::Function");
        }
        String name = provisioner.ref(logicalId);
        String handler = intrinsics.resolveString(template.functionProperty(logicalId, "Handler").orElseThrow(
                () -> new IllegalArgumentException(logicalId + " has no Handler")));
        String codeUri = intrinsics.resolveString(template.functionProperty(logicalId, "CodeUri").orElseThrow(
                () -> new IllegalArgumentException(logicalId + " has no CodeUri")));
        int memory = Integer.parseInt(intrinsics.resolveString(
                template.functionProperty(logicalId, "MemorySize").orElse(128)));
        int timeout = Integer.parseInt(intrinsics.resolveString(
                template.functionProperty(logicalId, "Timeout").orElse(3)));

        Map<String, String> env = new LinkedHashMap<>();
        String region = pseudo.get("AWS::Region");
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(timeout));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + intrinsics.resolveString(
                template.functionProperty(logicalId, "Runtime").orElse("java25")));
        env.put("TZ", ":UTC");
        Map<String, Object> logging = map(intrinsics.resolve(template.functionProperty(logicalId, "LoggingConfig")
                .orElse(Map.of())));
        if (logging.get("LogFormat") != null) {
            env.put("AWS_LAMBDA_LOG_FORMAT", String.valueOf(logging.get("LogFormat")).toUpperCase(Locale.ROOT));
        }
        if (logging.get("ApplicationLogLevel") != null) {
            env.put("AWS_LAMBDA_LOG_LEVEL", String.valueOf(logging.get("ApplicationLogLevel")));
        }
        env.putAll(emulators.environment());
        // Functions that call Lambda (the deployment hooks) or CodeDeploy reach this stack's in-process stand-ins.
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaService().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_CODEDEPLOY", codeDeploy().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_CLOUDFRONT", cloudFront.endpoint().toString());
        env.put("AWS_REGION", region);
        template.functionVariables(logicalId).forEach((key, value) -> {
            Object resolved = intrinsics.resolve(value);
            env.put(key, resolved == null ? "" : String.valueOf(resolved));
        });

        List<FunctionSpec.ApiRoute> routes = new ArrayList<>();
        map(template.properties(logicalId).get("Events")).forEach((eventName, raw) -> {
            Map<String, Object> event = map(raw);
            if (!"Api".equals(event.get("Type"))) {
                return;
            }
            Map<String, Object> props = map(event.get("Properties"));
            Object apiRef = props.get("RestApiId");
            String apiId = apiRef instanceof Map<?, ?> ref ? String.valueOf(map(ref).get("Ref"))
                    : apiRef == null ? "ServerlessRestApi" : String.valueOf(apiRef);
            routes.add(new FunctionSpec.ApiRoute(apiId, intrinsics.resolveString(props.get("Path")),
                    intrinsics.resolveString(props.get("Method")).toUpperCase(Locale.ROOT),
                    apiStage(apiId), binaryMediaTypes(apiId), apiDefinition(apiId)));
        });
        Path codeDir = template.baseDir().resolve(codeUri).normalize();
        return new FunctionSpec(logicalId, name, handler, codeDir, memory, timeout, Map.copyOf(env), List.copyOf(routes),
                FunctionSpec.defaultArtifactDir(codeDir));
    }

    /**
     * The Lambda Invoke API serving this stack's functions by physical name (started on first use): what the
     * functions' {@code AWS_ENDPOINT_URL_LAMBDA} points at, and what {@code sam-local start-lambda} serves.
     * A function is loaded on its first invocation and kept warm. Unqualified names and {@code $LATEST} run the
     * built code, as do the function's AutoPublishAlias and the local version it points to.
     */
    public synchronized LambdaInvokeServer lambdaService() {
        if (lambdaService == null) {
            try {
                lambdaService = LambdaInvokeServer.startOnLoopback(invocationTargets(id -> {
                    synchronized (invokable) {
                        return invokable.computeIfAbsent(id, fn -> LocalLambda.load(function(fn)));
                    }
                }), pseudo.get("AWS::Region"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lambdaService;
    }

    /**
     * The CodeDeploy stand-in the functions' {@code AWS_ENDPOINT_URL_CODEDEPLOY} points at (started on first use):
     * it accepts and records the hooks' lifecycle reports; see {@link LocalCodeDeploy}.
     */
    public synchronized LocalCodeDeploy codeDeploy() {
        if (codeDeploy == null) {
            try {
                codeDeploy = LocalCodeDeploy.accepting();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return codeDeploy;
    }

    /**
     * Resolves Invoke requests to this stack's functions by physical name. Unqualified names and {@code $LATEST}
     * run the built code, as do the function's AutoPublishAlias and the local version number it points to; any
     * other qualifier does not exist.
     *
     * @param loader gives the loaded function for a logical id (loading it on first use)
     */
    public LambdaInvokeServer.Functions invocationTargets(Function<String, LocalLambda> loader) {
        return (name, qualifier) -> {
            for (String id : functionIds()) {
                if (!enabled(id) || !provisioner.ref(id).equals(name)) {
                    continue;
                }
                String alias = provisioner.publishedAlias(id);
                String executed;
                if (qualifier == null || qualifier.equals("$LATEST")) {
                    executed = "$LATEST";
                } else if (alias != null
                        && (qualifier.equals(alias) || qualifier.equals(ResourceProvisioner.LOCAL_VERSION))) {
                    executed = ResourceProvisioner.LOCAL_VERSION;
                } else {
                    return Optional.empty();
                }
                return Optional.of(new LambdaInvokeServer.Target(loader.apply(id), executed));
            }
            return Optional.empty();
        };
    }

    private boolean enabled(String logicalId) {
        Object condition = template.resource(logicalId).get("Condition");
        return condition == null || intrinsics.condition(String.valueOf(condition));
    }

    private String apiStage(String apiId) {
        Object stage = template.resources().containsKey(apiId)
                ? template.properties(apiId).getOrDefault("StageName", template.globals("Api").get("StageName"))
                : template.globals("Api").get("StageName");
        return stage == null ? "Prod" : intrinsics.resolveString(stage);
    }

    /**
     * The API's OpenAPI document: the local file its {@code DefinitionBody} includes with
     * {@code Fn::Transform: {Name: AWS::Include, Parameters: {Location: ...}}}, relative to the template; null when
     * the API has no such DefinitionBody (SAM then builds it from the events alone).
     */
    private Path apiDefinition(String apiId) {
        if (!template.resources().containsKey(apiId)) {
            return null;
        }
        Map<String, Object> transform = map(map(template.properties(apiId).get("DefinitionBody")).get("Fn::Transform"));
        Object location = map(transform.get("Parameters")).get("Location");
        if (!"AWS::Include".equals(transform.get("Name")) || location == null) {
            return null;
        }
        String file = intrinsics.resolveString(location);
        return file.startsWith("s3://") ? null : template.baseDir().resolve(file).normalize();
    }

    private List<String> binaryMediaTypes(String apiId) {
        Object types = template.resources().containsKey(apiId)
                ? template.properties(apiId).getOrDefault("BinaryMediaTypes", template.globals("Api").get("BinaryMediaTypes"))
                : template.globals("Api").get("BinaryMediaTypes");
        return list(intrinsics.resolve(types)).stream().map(t -> String.valueOf(t).replace("~1", "/")).toList();
    }

    private Map<String, String> resolveParameters(Map<String, String> overrides) {
        Map<String, String> resolved = new LinkedHashMap<>();
        Set<String> unknown = new HashSet<>(overrides.keySet());
        template.parameters().forEach((name, raw) -> {
            Map<String, Object> definition = map(raw);
            unknown.remove(name);
            String value = overrides.containsKey(name) ? overrides.get(name)
                    : definition.containsKey("Default") ? String.valueOf(definition.get("Default")) : null;
            if ((value == null || value.isEmpty()) && name.endsWith("PlatformApplicationArn")) {
                value = provisioner.platformApplicationStandIn(name);
            }
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + " has no Default: pass it with "
                        + "--parameter-overrides " + name + "=...");
            }
            List<Object> allowed = list(definition.get("AllowedValues"));
            if (!allowed.isEmpty() && allowed.stream().map(String::valueOf).noneMatch(value::equals)) {
                throw new IllegalArgumentException("parameter " + name + "=" + value + " is not one of " + allowed);
            }
            resolved.put(name, value);
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameters in overrides: " + unknown);
        }
        return resolved;
    }

    @Override
    public void close() {
        synchronized (invokable) {
            invokable.values().forEach(LocalLambda::close);
            invokable.clear();
        }
        synchronized (this) {
            if (lambdaService != null) {
                lambdaService.close();
            }
            if (codeDeploy != null) {
                codeDeploy.close();
            }
        }
        cloudFront.close();
        provisioner.close();
    }

    /** Exposed for the runner's start-up banner. */
    Map<String, String> createdResources() {
        return new HashMap<>(provisioner.created());
    }
}
