package io.mediasuite.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches request paths to the {@code Api} event routes of template.yaml as API Gateway REST does: a literal
 * segment beats a {@code {param}}, which beats a greedy {@code {proxy+}}; a method route beats {@code ANY}.
 */
final class ApiRouter {

    /** A route owned by a function. */
    record Route(String functionId, FunctionSpec.ApiRoute api) {
    }

    /** A matched route with its path parameters. */
    record Match(Route route, Map<String, String> pathParameters) {
    }

    private final List<Route> routes = new ArrayList<>();

    void add(String functionId, FunctionSpec.ApiRoute api) {
        routes.add(new Route(functionId, api));
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The best route for {@code method} and {@code path}, if any. */
    Optional<Match> match(String method, String path) {
        List<String> segments = segments(path);
        return routes.stream()
                .filter(r -> r.api().method().equals(method) || r.api().method().equals("ANY"))
                .map(r -> bind(r, segments))
                .flatMap(Optional::stream)
                .max(Comparator.comparingInt((Match m) -> specificity(m.route()))
                        .thenComparingInt(m -> m.route().api().method().equals("ANY") ? 0 : 1));
    }

    private static Optional<Match> bind(Route route, List<String> request) {
        List<String> template = segments(route.api().path());
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String part = template.get(i);
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= request.size()) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", request.subList(i, request.size())));
                return Optional.of(new Match(route, parameters));
            }
            if (i >= request.size()) {
                return Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                parameters.put(part.substring(1, part.length() - 1), request.get(i));
            } else if (!part.equals(request.get(i))) {
                return Optional.empty();
            }
        }
        return template.size() == request.size() ? Optional.of(new Match(route, parameters)) : Optional.empty();
    }

    private static int specificity(Route route) {
        int score = 0;
        for (String part : segments(route.api().path())) {
            score = score * 4 + (part.endsWith("+}") ? 1 : part.startsWith("{") ? 2 : 3);
        }
        return score;
    }

    private static List<String> segments(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
