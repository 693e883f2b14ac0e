package io.mediasuite.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Assertions on the CloudFormation that template.yaml becomes, without an AWS account. */
class TemplateTransformTest {

    private static final Set<String> DATA_PLANES = Set.of("s3", "dynamodb", "sns", "sqs", "cloudfront", "lambda",
            "kms", "codedeploy");
    private static final Pattern SUB_NAME = Pattern.compile("\\$\\{([^}!][^}]*)}");

    @Test
    void transform_shouldResolveEveryRefGetAttAndSub_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        Set<String> known = new HashSet<>();
        template.path("Resources").fieldNames().forEachRemaining(known::add);
        template.path("Parameters").fieldNames().forEachRemaining(known::add);

        // when
        List<String> unresolved = new ArrayList<>();
        for (JsonNode node : TransformedTemplate.walk(template)) {
            if (node.has("Ref") && node.size() == 1) {
                check(node.get("Ref").asText(), known, unresolved);
            }
            if (node.has("Fn::GetAtt") && node.size() == 1) {
                JsonNode target = node.get("Fn::GetAtt");
                check(target.isArray() ? target.get(0).asText() : target.asText().split("\\.")[0], known, unresolved);
            }
            if (node.has("Fn::Sub") && node.size() == 1) {
                JsonNode sub = node.get("Fn::Sub");
                String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
                Set<String> local = new HashSet<>();
                if (sub.isArray()) {
                    sub.get(1).fieldNames().forEachRemaining(local::add);
                }
                Matcher names = SUB_NAME.matcher(text);
                while (names.find()) {
                    String name = names.group(1).split("\\.")[0];
                    if (!local.contains(name)) {
                        check(name, known, unresolved);
                    }
                }
            }
        }

        // then
        assertTrue(unresolved.isEmpty(), "unresolved references: " + unresolved);
    }

    @Test
    void iamPolicies_shouldGrantNoWildcardActionOnDataPlanes_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        // when
        List<String> wildcards = new ArrayList<>();
        for (String role : TransformedTemplate.ofType(template, "AWS::IAM::Role")) {
            for (JsonNode policy : template.path("Resources").path(role).path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                    JsonNode actions = statement.path("Action");
                    for (JsonNode action : actions.isArray() ? actions : List.of(actions)) {
                        String name = action.asText();
                        String service = name.contains(":") ? name.substring(0, name.indexOf(':')).toLowerCase(Locale.ROOT) : "*";
                        if (name.contains("*") && (service.equals("*") || DATA_PLANES.contains(service))) {
                            wildcards.add(role + ": " + name);
                        }
                    }
                }
            }
        }

        // then
        assertTrue(wildcards.isEmpty(), "wildcard actions on data planes: " + wildcards);
    }

    @Test
    void functions_shouldRunJava25WithSnapStartTracingAndJsonLogs_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        // when
        List<String> functions = TransformedTemplate.ofType(template, "AWS::Lambda::Function");

        // then
        assertFalse(functions.isEmpty());
        for (String id : functions) {
            JsonNode props = template.path("Resources").path(id).path("Properties");
            assertEquals("java25", props.path("Runtime").asText(), id);
            assertEquals(ReleaseTemplateTest.isHook(template, id) ? "None" : "PublishedVersions",
                    props.path("SnapStart").path("ApplyOn").asText(), id);
            assertEquals("Active", props.path("TracingConfig").path("Mode").asText(), id);
            assertEquals("JSON", props.path("LoggingConfig").path("LogFormat").asText(), id);
        }
    }

    @Test
    void thumbnailFunction_shouldAddTheVectorApiModule_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        // when
        String options = template.path("Resources").path("ThumbnailFunction").path("Properties")
                .path("Environment").path("Variables").path("JAVA_TOOL_OPTIONS").asText();

        // then: without the module the resampler falls back to its scalar pass (same bytes, 15 % more CPU)
        assertTrue(List.of(options.split(" ")).contains("--add-modules=jdk.incubator.vector"), options);
    }

    @Test
    void functions_shouldPublishAVersionAndALiveAlias_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();

        // when
        List<String> functions = TransformedTemplate.ofType(template, "AWS::Lambda::Function");
        List<String> aliases = TransformedTemplate.ofType(template, "AWS::Lambda::Alias");
        List<String> versions = TransformedTemplate.ofType(template, "AWS::Lambda::Version");

        // then: every function but the PreTraffic hooks (CodeDeploy invokes those unqualified)
        for (String id : functions) {
            if (ReleaseTemplateTest.isHook(template, id)) {
                assertEquals(0, aliases.stream().filter(a -> targets(template, a, id)).count(), id + " is a hook");
                continue;
            }
            assertEquals(1, aliases.stream().filter(a -> targets(template, a, id)
                    && "live".equals(template.path("Resources").path(a).path("Properties").path("Name").asText())).count(),
                    id + " has no 'live' alias");
            assertEquals(1, versions.stream().filter(v -> targets(template, v, id)).count(), id + " has no version");
        }
    }

    @Test
    void invokers_shouldTargetTheLiveAlias_whenTransformed() {
        // given
        JsonNode template = TransformedTemplate.get();
        Set<String> aliases = new HashSet<>(TransformedTemplate.ofType(template, "AWS::Lambda::Alias"));

        // when
        List<String> notAlias = new ArrayList<>();
        int integrations = 0;
        for (String type : List.of("AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping")) {
            for (String id : TransformedTemplate.ofType(template, type)) {
                JsonNode target = template.path("Resources").path(id).path("Properties").path("FunctionName");
                if (!aliases.contains(target.path("Ref").asText())) {
                    notAlias.add(id + " -> " + target);
                }
            }
        }
        for (String id : TransformedTemplate.ofType(template, "AWS::ApiGateway::RestApi")) {
            String body = template.path("Resources").path(id).path("Properties").path("Body").toString();
            // ${XAliaslive} (SAM's alias reference) or ${X.Arn}:live (the alias's qualified ARN)
            Matcher uri = Pattern.compile("functions/\\$\\{([A-Za-z0-9]+)([.}][^/]*)").matcher(body);
            while (uri.find()) {
                integrations++;
                if (!uri.group(1).contains("Alias") && !uri.group(2).equals(".Arn}:live")) {
                    notAlias.add(id + " integration -> " + uri.group(1));
                }
            }
        }

        // then
        assertTrue(integrations > 0, "no Lambda integration found in any RestApi body");
        assertTrue(notAlias.isEmpty(), "invoked without the alias: " + notAlias);
    }

    @Test
    void dependencies_shouldHaveNoCycle_whenTransformed() {
        // given: every resource's dependencies (Ref, Fn::GetAtt, names in Fn::Sub, DependsOn) in what CloudFormation
        // receives; cfn-lint's E3004 is off (.cfnlintrc) because it judges a stub of APIs that have a DefinitionBody
        JsonNode resources = TransformedTemplate.get().path("Resources");
        Map<String, Set<String>> graph = new TreeMap<>();
        resources.properties().forEach(resource -> {
            Set<String> dependencies = new TreeSet<>();
            for (String part : List.of("Properties", "UpdatePolicy", "Metadata")) {
                for (JsonNode node : TransformedTemplate.walk(resource.getValue().path(part))) {
                    collectReferences(node, dependencies);
                }
            }
            JsonNode dependsOn = resource.getValue().path("DependsOn");
            for (JsonNode name : dependsOn.isArray() ? dependsOn : List.of(dependsOn)) {
                dependencies.add(name.asText());
            }
            dependencies.retainAll(toSet(resources.fieldNames()));
            graph.put(resource.getKey(), dependencies);
        });

        // when
        List<String> cycle = findCycle(graph);

        // then
        assertTrue(cycle.isEmpty(), "circular dependency: " + String.join(" -> ", cycle));
    }

    private static void collectReferences(JsonNode node, Set<String> into) {
        if (!node.isObject() || node.size() != 1) {
            return;
        }
        if (node.has("Ref")) {
            into.add(node.get("Ref").asText());
        } else if (node.has("Fn::GetAtt")) {
            JsonNode target = node.get("Fn::GetAtt");
            into.add(target.isArray() ? target.get(0).asText() : target.asText().split("\\.")[0]);
        } else if (node.has("Fn::Sub")) {
            JsonNode sub = node.get("Fn::Sub");
            Matcher names = SUB_NAME.matcher(sub.isArray() ? sub.get(0).asText() : sub.asText());
            while (names.find()) {
                into.add(names.group(1).split("\\.")[0]);
            }
        }
    }

    private static Set<String> toSet(Iterator<String> names) {
        Set<String> set = new HashSet<>();
        names.forEachRemaining(set::add);
        return set;
    }

    /** One cycle of the graph as a path that starts and ends at the same resource, or empty. */
    private static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
                                 List<String> path) {
        Integer seen = state.get(node);
        if (seen != null && seen == 2) {
            return false;
        }
        path.add(node);
        if (seen != null) {
            path.subList(0, path.indexOf(node)).clear();
            return true;
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        state.put(node, 2);
        path.removeLast();
        return false;
    }

    private static boolean targets(JsonNode template, String resource, String function) {
        String props = template.path("Resources").path(resource).path("Properties").toString();
        return props.contains("\"Ref\":\"" + function + "\"");
    }

    private static void check(String name, Set<String> known, List<String> unresolved) {
        if (!name.startsWith("AWS::") && !known.contains(name)) {
            unresolved.add(name);
        }
    }
}
