package io.mediasuite.tests;

import static io.mediasuite.local.template.SamTemplate.map;

import io.mediasuite.local.openapi.ApiDefinition;
import io.mediasuite.local.template.SamTemplate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The OpenAPI documents template.yaml builds its REST APIs from, and the routes the template declares. */
final class ApiDocuments {

    static final SamTemplate TEMPLATE = SamTemplate.load(Project.ROOT.resolve("template.yaml"));

    private ApiDocuments() {
    }

    /** Each {@code AWS::Serverless::Api} with the local file its DefinitionBody includes (null when none). */
    static Map<String, Path> byApi() {
        Map<String, Path> documents = new LinkedHashMap<>();
        for (String api : TEMPLATE.resourcesOfType("AWS::Serverless::Api")) {
            Map<String, Object> transform = map(map(TEMPLATE.properties(api).get("DefinitionBody")).get("Fn::Transform"));
            Object location = "AWS::Include".equals(transform.get("Name"))
                    ? map(transform.get("Parameters")).get("Location") : null;
            documents.put(api, location == null ? null : Project.ROOT.resolve(String.valueOf(location)));
        }
        return documents;
    }

    static ApiDefinition load(String api) {
        return ApiDefinition.load(byApi().get(api));
    }

    /** "METHOD path" to the function serving it, from the functions' {@code Type: Api} events on {@code api}. */
    static Map<String, String> templateRoutes(String api) {
        Map<String, String> routes = new TreeMap<>();
        for (String function : TEMPLATE.functions()) {
            map(TEMPLATE.properties(function).get("Events")).values().forEach(raw -> {
                Map<String, Object> event = map(raw);
                Map<String, Object> props = map(event.get("Properties"));
                if ("Api".equals(event.get("Type")) && api.equals(map(props.get("RestApiId")).get("Ref"))) {
                    routes.put(String.valueOf(props.get("Method")).toUpperCase(Locale.ROOT) + " " + props.get("Path"),
                            function);
                }
            });
        }
        return routes;
    }

    /** "METHOD path" to the function its integration invokes, from the document. */
    static Map<String, String> documentRoutes(ApiDefinition definition) {
        Map<String, String> routes = new TreeMap<>();
        for (ApiDefinition.Operation operation : definition.operations()) {
            routes.put(operation.method() + " " + operation.path(),
                    operation.integrationFunction().orElse("(no Lambda alias integration)"));
        }
        return routes;
    }
}
