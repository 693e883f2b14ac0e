package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The release machinery of the CloudFormation that template.yaml becomes: per function, one version, one
 * {@code live} alias and one CodeDeploy deployment group with the intended deployment configuration, alarms on
 * the version being deployed, and a PreTraffic hook that tests exactly that version with least privilege.
 */
class ReleaseTemplateTest {

    private static final String HOOK_HANDLER = "io.mediasuite.deployhooks.PreTrafficHookHandler::handleRequest";

    @Test
    void deploymentGroups_shouldCanaryEveryFunctionByDefaultAndDeployAllAtOnceWhenAsked_whenTransformed() {
        // given
        JsonNode byDefault = TransformedTemplate.get();
        JsonNode dev = TransformedTemplate.transform(Project.ROOT.resolve("template.yaml"),
                Map.of("DeploymentType", "AllAtOnce"));

        // when / then
        for (var expected : Map.of(byDefault, "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                dev, "CodeDeployDefault.LambdaAllAtOnce").entrySet()) {
            JsonNode template = expected.getKey();
            for (String function : releasedFunctions(template)) {
                JsonNode group = deploymentGroup(template, function);
                assertEquals(expected.getValue(), deploymentConfig(group), function);
                assertTrue(group.path("AutoRollbackConfiguration").path("Enabled").asBoolean(), function);
                Set<String> events = texts(group.path("AutoRollbackConfiguration").path("Events"));
                assertTrue(events.containsAll(Set.of("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM")), function + ": " + events);
                assertEquals("DeploymentRole", group.path("ServiceRoleArn").path("Fn::GetAtt").path(0).asText(), function);
            }
        }
    }

    @Test
    void deploymentGroups_shouldWatchErrorsThrottlesAndForApisLatencyAnd5xxOfTheNewVersion_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        Set<String> apiFunctions = apiFunctions(template);
        assertFalse(apiFunctions.isEmpty(), "no function behind API Gateway");

        for (String function : releasedFunctions(template)) {
            // when
            JsonNode group = deploymentGroup(template, function);
            assertTrue(group.path("AlarmConfiguration").path("Enabled").asBoolean(), function);
            Set<String> metrics = new TreeSet<>();
            for (JsonNode alarm : group.path("AlarmConfiguration").path("Alarms")) {
                String alarmId = alarm.path("Name").path("Ref").asText();
                JsonNode props = resource(template, alarmId).path("Properties");
                assertEquals("AWS::CloudWatch::Alarm", resource(template, alarmId).path("Type").asText(), alarmId);
                assertEquals("notBreaching", props.path("TreatMissingData").asText(), alarmId);
                assertTrue(watchesTheNewVersion(template, function, props), alarmId + " does not watch "
                        + function + "'s new version: " + props.path("Dimensions"));
                metrics.add(props.path("MetricName").asText());
                if (props.path("MetricName").asText().equals("Duration")) {
                    assertEquals("p99", props.path("ExtendedStatistic").asText(), alarmId);
                }
            }

            // then
            assertTrue(metrics.containsAll(Set.of("Errors", "Throttles")), function + " watches " + metrics);
            if (apiFunctions.contains(function)) {
                assertTrue(metrics.contains("Duration"), function + " has no p99 latency alarm: " + metrics);
                assertTrue(metrics.stream().anyMatch(m -> m.endsWith("5xx")), function + " has no 5xx alarm: " + metrics);
            }
        }
    }

    @Test
    void aliases_shouldRunAPreTrafficHookThatTestsTheirNewVersion_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        for (String function : releasedFunctions(template)) {
            // when
            JsonNode update = resource(template, alias(template, function)).path("UpdatePolicy").path("CodeDeployLambdaAliasUpdate");
            String hook = update.path("BeforeAllowTrafficHook").path("Ref").asText();

            // then the hook is a deployhooks function, tests this function's new version, and has the name
            // prefix CodeDeploy's invoke permission is scoped to
            assertTrue(isHook(template, hook), function + "'s PreTraffic hook is " + hook);
            JsonNode props = resource(template, hook).path("Properties");
            assertEquals(version(template, function),
                    props.path("Environment").path("Variables").path("TARGET_VERSION_ARN").path("Ref").asText(), hook);
            assertTrue(props.path("FunctionName").path("Fn::Sub").asText().startsWith("CodeDeployHook_${AWS::StackName}-"),
                    hook + " is named " + props.path("FunctionName"));
            assertFalse(props.path("Environment").path("Variables").path("SMOKE_TEST").asText().isEmpty(), hook);
            assertEquals(deploymentGroupId(template, function), update.path("DeploymentGroupName").path("Ref").asText());
        }
    }

    @Test
    void hooks_shouldInvokeOnlyTheirTargetAndReportOnlyToItsDeploymentGroup_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        for (String function : releasedFunctions(template)) {
            String hook = resource(template, alias(template, function)).path("UpdatePolicy")
                    .path("CodeDeployLambdaAliasUpdate").path("BeforeAllowTrafficHook").path("Ref").asText();
            String role = resource(template, hook).path("Properties").path("Role").path("Fn::GetAtt").path(0).asText();

            // when
            List<String> invokable = new ArrayList<>();
            List<String> reportable = new ArrayList<>();
            for (JsonNode policy : resource(template, role).path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                    Set<String> actions = texts(statement.path("Action"));
                    String resources = statement.path("Resource").toString();
                    if (actions.contains("lambda:InvokeFunction")) {
                        invokable.add(resources);
                    }
                    if (actions.contains("codedeploy:PutLifecycleEventHookExecutionStatus")) {
                        reportable.add(resources);
                    }
                }
            }

            // then: the target's versions only, and the target's deployment group only
            assertEquals(List.of("{\"Fn::Sub\":\"${" + function + ".Arn}:*\"}"), invokable, hook);
            assertEquals(1, reportable.size(), hook + ": " + reportable);
            assertTrue(reportable.getFirst().contains("deploymentgroup:${ServerlessDeploymentApplication}/${"
                    + deploymentGroupId(template, function) + "}"), hook + ": " + reportable);
            // and it is neither canaried itself nor snapshotted (CodeDeploy invokes it unqualified)
            assertFalse(TransformedTemplate.ofType(template, "AWS::CodeDeploy::DeploymentGroup").stream()
                    .anyMatch(g -> g.startsWith(hook)), hook + " has a deployment group");
        }
    }

    @Test
    void functions_shouldLogToAnOwnLogGroupWithRetention_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        for (String function : TransformedTemplate.ofType(template, "AWS::Lambda::Function")) {
            // when
            String logGroup = resource(template, function).path("Properties").path("LoggingConfig")
                    .path("LogGroup").path("Ref").asText();

            // then
            assertEquals("AWS::Logs::LogGroup", resource(template, logGroup).path("Type").asText(), function);
            assertTrue(resource(template, logGroup).path("Properties").has("RetentionInDays"), logGroup);
        }
    }

    @Test
    void deploymentRole_shouldShiftOnlyThisStacksAliases_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        Set<String> aliasResources = new HashSet<>();

        // when
        for (JsonNode policy : resource(template, "DeploymentRole").path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if (texts(statement.path("Action")).contains("lambda:UpdateAlias")) {
                    statement.path("Resource").forEach(r -> aliasResources.add(r.path("Fn::Sub").asText()));
                }
            }
        }

        // then
        Set<String> expected = new HashSet<>();
        releasedFunctions(template).forEach(f -> expected.add("${" + f + ".Arn}:live"));
        assertEquals(expected, aliasResources);
    }

    @Test
    void distribution_shouldServeTheSiteThroughOacAndThumbnailsFromTheApiOverHttpsOnly_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        JsonNode config = resource(template, "SiteDistribution").path("Properties").path("DistributionConfig");
        Map<String, JsonNode> origins = new HashMap<>();
        config.path("Origins").forEach(o -> origins.put(o.path("Id").asText(), o));

        // when
        JsonNode site = origins.get(config.path("DefaultCacheBehavior").path("TargetOriginId").asText());
        JsonNode thumbBehaviour = null;
        for (JsonNode behaviour : config.path("CacheBehaviors")) {
            if (behaviour.path("PathPattern").asText().equals("*/thumb/*")) {
                thumbBehaviour = behaviour;
            }
        }

        // then: the bucket is private and read through Origin Access Control by this distribution only
        assertNotNull(site, "no default origin");
        assertEquals("SiteOriginAccessControl", site.path("OriginAccessControlId").path("Fn::GetAtt").path(0).asText());
        String bucketPolicy = resource(template, "SiteBucketPolicy").toString();
        assertTrue(bucketPolicy.contains("cloudfront.amazonaws.com") && bucketPolicy.contains("AWS:SourceArn")
                && bucketPolicy.contains("distribution/${SiteDistribution}"), bucketPolicy);
        // and thumbnails come from the ThumbnailApi stage over HTTPS, cached on the path and the Accept header the
        // viewer-request function normalised (ThumbnailAcceptFunctionTest runs that function)
        assertNotNull(thumbBehaviour, "no */thumb/* behaviour");
        JsonNode thumbs = origins.get(thumbBehaviour.path("TargetOriginId").asText());
        assertTrue(thumbs.path("DomainName").toString().contains("${ThumbnailApi}.execute-api."), thumbs.toString());
        assertEquals("https-only", thumbs.path("CustomOriginConfig").path("OriginProtocolPolicy").asText());
        String policyId = thumbBehaviour.path("CachePolicyId").path("Ref").asText();
        JsonNode key = resource(template, policyId).path("Properties").path("CachePolicyConfig")
                .path("ParametersInCacheKeyAndForwardedToOrigin");
        assertEquals("none", key.path("QueryStringsConfig").path("QueryStringBehavior").asText());
        assertEquals("whitelist", key.path("HeadersConfig").path("HeaderBehavior").asText());
        assertEquals("[\"Accept\"]", key.path("HeadersConfig").path("Headers").toString());
        assertEquals("none", key.path("CookiesConfig").path("CookieBehavior").asText());
        // and viewers only get content over HTTPS; the site is compressed
        for (JsonNode behaviour : List.of(config.path("DefaultCacheBehavior"), thumbBehaviour)) {
            assertTrue(Set.of("redirect-to-https", "https-only").contains(behaviour.path("ViewerProtocolPolicy").asText()),
                    behaviour.toString());
        }
        assertTrue(config.path("DefaultCacheBehavior").path("Compress").asBoolean());
    }

    @Test
    void customDomain_shouldAddAliasCertificateAndDnsRecordsOnlyWhenGiven_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        JsonNode config = resource(template, "SiteDistribution").path("Properties").path("DistributionConfig");

        // when
        JsonNode aliases = config.path("Aliases").path("Fn::If");
        JsonNode certificate = config.path("ViewerCertificate").path("Fn::If");
        JsonNode records = resource(template, "SiteDnsRecords");

        // then: everything hangs on conditions that are false without the parameters
        assertEquals("HasCustomDomain", aliases.path(0).asText());
        assertEquals("DomainName", aliases.path(1).path(0).path("Ref").asText());
        assertEquals("HasCustomDomain", certificate.path(0).asText());
        assertEquals("CertificateArn", certificate.path(1).path("AcmCertificateArn").path("Ref").asText());
        assertEquals("sni-only", certificate.path(1).path("SslSupportMethod").asText());
        assertTrue(certificate.path(2).path("CloudFrontDefaultCertificate").asBoolean());
        assertEquals("HasDnsRecords", records.path("Condition").asText());
        Set<String> types = new TreeSet<>();
        for (JsonNode record : records.path("Properties").path("RecordSets")) {
            types.add(record.path("Type").asText());
            assertEquals("SiteDistribution", record.path("AliasTarget").path("DNSName").path("Fn::GetAtt").path(0).asText());
            assertEquals("Z2FDTNDATAQYW2", record.path("AliasTarget").path("HostedZoneId").asText());
        }
        assertEquals(Set.of("A", "AAAA"), types);
        String conditions = template.path("Conditions").toString();
        assertTrue(conditions.contains("\"HasDnsRecords\":{\"Fn::And\":[{\"Condition\":\"HasCustomDomain\"}"), conditions);
        assertTrue(template.path("Rules").toString().contains("CertificateArn"), "no rule ties DomainName to CertificateArn");
    }

    @Test
    void asyncInvokers_shouldTargetTheLiveAlias_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        Set<String> aliases = new HashSet<>(TransformedTemplate.ofType(template, "AWS::Lambda::Alias"));

        // when
        List<String> subscriptions = TransformedTemplate.ofType(template, "AWS::SNS::Subscription").stream()
                .filter(id -> "lambda".equals(resource(template, id).path("Properties").path("Protocol").asText()))
                .toList();
        List<String> invokeConfigs = TransformedTemplate.ofType(template, "AWS::Lambda::EventInvokeConfig").stream()
                .filter(id -> !isHook(template, resource(template, id).path("Properties").path("FunctionName")
                        .path("Ref").asText()))
                .toList();

        // then: SNS delivers to the alias, and retries and failure destinations are configured on the alias
        assertFalse(subscriptions.isEmpty(), "no SNS subscription of a function");
        for (String id : subscriptions) {
            String endpoint = resource(template, id).path("Properties").path("Endpoint").path("Ref").asText();
            assertTrue(aliases.contains(endpoint), id + " -> " + endpoint);
        }
        for (String id : invokeConfigs) {
            assertEquals("live", resource(template, id).path("Properties").path("Qualifier").asText(), id);
        }
    }

    // ---- helpers over the transformed template ------------------------------------------------------------

    /** Whether a transformed Lambda function is a PreTraffic hook (runs the deployhooks handler). */
    static boolean isHook(JsonNode template, String function) {
        return HOOK_HANDLER.equals(resource(template, function).path("Properties").path("Handler").asText());
    }

    /** The functions released through CodeDeploy: every Lambda function but the hooks. */
    static List<String> releasedFunctions(JsonNode template) {
        List<String> functions = TransformedTemplate.ofType(template, "AWS::Lambda::Function").stream()
                .filter(f -> !isHook(template, f)).toList();
        assertFalse(functions.isEmpty());
        return functions;
    }

    private static JsonNode resource(JsonNode template, String id) {
        JsonNode resource = template.path("Resources").path(id);
        assertFalse(resource.isMissingNode(), "no resource " + id);
        return resource;
    }

    private static String alias(JsonNode template, String function) {
        List<String> aliases = TransformedTemplate.ofType(template, "AWS::Lambda::Alias").stream()
                .filter(a -> function.equals(resource(template, a).path("Properties").path("FunctionName").path("Ref").asText()))
                .toList();
        assertEquals(1, aliases.size(), function + " aliases " + aliases);
        return aliases.getFirst();
    }

    private static String version(JsonNode template, String function) {
        List<String> versions = TransformedTemplate.ofType(template, "AWS::Lambda::Version").stream()
                .filter(v -> function.equals(resource(template, v).path("Properties").path("FunctionName").path("Ref").asText()))
                .toList();
        assertEquals(1, versions.size(), function + " versions " + versions);
        return versions.getFirst();
    }

    private static String deploymentGroupId(JsonNode template, String function) {
        String id = resource(template, alias(template, function)).path("UpdatePolicy").path("CodeDeployLambdaAliasUpdate")
                .path("DeploymentGroupName").path("Ref").asText();
        assertEquals("AWS::CodeDeploy::DeploymentGroup", resource(template, id).path("Type").asText(), function);
        return id;
    }

    private static JsonNode deploymentGroup(JsonNode template, String function) {
        return resource(template, deploymentGroupId(template, function)).path("Properties");
    }

    private static String deploymentConfig(JsonNode group) {
        JsonNode name = group.path("DeploymentConfigName");
        if (name.isTextual()) {
            return name.asText();
        }
        JsonNode sub = name.path("Fn::Sub");
        assertNotNull(sub, "DeploymentConfigName " + name);
        return sub.path(0).asText().replace("${ConfigName}", sub.path(1).path("ConfigName").asText());
    }

    /** Lambda functions behind API Gateway: the targets of apigateway.amazonaws.com permissions. */
    private static Set<String> apiFunctions(JsonNode template) {
        Set<String> functions = new HashSet<>();
        Map<String, String> aliasOwners = new HashMap<>();
        TransformedTemplate.ofType(template, "AWS::Lambda::Alias").forEach(a -> aliasOwners.put(a,
                resource(template, a).path("Properties").path("FunctionName").path("Ref").asText()));
        for (String permission : TransformedTemplate.ofType(template, "AWS::Lambda::Permission")) {
            JsonNode props = resource(template, permission).path("Properties");
            if ("apigateway.amazonaws.com".equals(props.path("Principal").asText())) {
                String target = props.path("FunctionName").path("Ref").asText();
                functions.add(aliasOwners.getOrDefault(target, target));
            }
        }
        return functions;
    }

    /**
     * Whether an alarm singles out the version being deployed, taken from the version resource SAM publishes:
     * Lambda's metrics by function and executed version; the 5xx count by the functionVersion field of the log
     * lines, counted by a metric filter on this function's own log group.
     */
    private static boolean watchesTheNewVersion(JsonNode template, String function, JsonNode alarm) {
        String versionRef = "{\"Ref\":\"" + version(template, function) + "\"}";
        Map<String, String> dimensions = new HashMap<>();
        alarm.path("Dimensions").forEach(d -> dimensions.put(d.path("Name").asText(), d.path("Value").toString()));
        if (alarm.path("Namespace").asText().equals("AWS/Lambda")) {
            return dimensions.getOrDefault("FunctionName", "").equals("{\"Ref\":\"" + function + "\"}")
                    && dimensions.getOrDefault("ExecutedVersion", "").contains(versionRef);
        }
        String logGroup = resource(template, function).path("Properties").path("LoggingConfig").path("LogGroup")
                .path("Ref").asText();
        boolean countedFromTheFunctionsLogs = TransformedTemplate.ofType(template, "AWS::Logs::MetricFilter").stream()
                .map(f -> resource(template, f).path("Properties"))
                .anyMatch(f -> f.path("LogGroupName").path("Ref").asText().equals(logGroup)
                        && f.path("MetricTransformations").path(0).path("MetricName").asText()
                                .equals(alarm.path("MetricName").asText())
                        && f.path("MetricTransformations").path(0).path("MetricNamespace").equals(alarm.path("Namespace")));
        return countedFromTheFunctionsLogs && dimensions.getOrDefault("functionVersion", "").contains(versionRef);
    }

    private static Set<String> texts(JsonNode node) {
        Set<String> values = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
