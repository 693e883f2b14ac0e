package io.mediasuite.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A function as template.yaml declares it, after SAM's Globals merge and intrinsic resolution.
 *
 * @param logicalId   the template's logical id
 * @param functionName the name Lambda would report
 * @param handler     {@code package.Class::method}
 * @param codeUri     the CodeUri folder, absolute
 * @param memoryMb    MemorySize
 * @param timeoutSeconds Timeout
 * @param environment every variable the function sees: runtime variables, emulator endpoints, template ones
 * @param routes      its {@code Api} events
 * @param artifactDir the packaged function: the folder the build lays out for Lambda (classes at the root,
 *                    jars in lib/), as {@code sam build} puts it in its ARTIFACTS_DIR
 */
public record FunctionSpec(String logicalId, String functionName, String handler, Path codeUri, int memoryMb,
                           int timeoutSeconds, Map<String, String> environment, List<ApiRoute> routes,
                           Path artifactDir) {

    /** Where the Maven build packages a function whose CodeUri is {@code codeUri}. */
    public static Path defaultArtifactDir(Path codeUri) {
        return codeUri.resolve("target").resolve(codeUri.getFileName() + "-lambda");
    }

    /** The same function loaded from another artifact folder (e.g. a {@code sam build} ARTIFACTS_DIR). */
    public FunctionSpec withArtifactDir(Path dir) {
        return new FunctionSpec(logicalId, functionName, handler, codeUri, memoryMb, timeoutSeconds, environment,
                routes, dir);
    }

    /** The same function with another environment. */
    public FunctionSpec withEnvironment(Map<String, String> env) {
        return new FunctionSpec(logicalId, functionName, handler, codeUri, memoryMb, timeoutSeconds, Map.copyOf(env),
                routes, artifactDir);
    }

    /** Class part of the handler string. */
    public String handlerClass() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** Method part of the handler string ({@code handleRequest} when absent). */
    public String handlerMethod() {
        int separator = handler.indexOf("::");
        return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
    }

    /**
     * One {@code Type: Api} event of a function.
     *
     * @param apiId            the logical id of the API (SAM's implicit {@code ServerlessRestApi} when absent)
     * @param path             the resource path with {@code {param}} and {@code {proxy+}} parts
     * @param method           upper-case HTTP method, or {@code ANY}
     * @param stage            the API's stage name
     * @param binaryMediaTypes the API's binary media types, with {@code ~1} decoded to {@code /}
     * @param definition       the API's OpenAPI document (its DefinitionBody's {@code AWS::Include} of a local
     *                         file), or null when the API has none
     */
    public record ApiRoute(String apiId, String path, String method, String stage, List<String> binaryMediaTypes,
                           Path definition) {

        /** A route of an API without an OpenAPI document of its own. */
        public ApiRoute(String apiId, String path, String method, String stage, List<String> binaryMediaTypes) {
            this(apiId, path, method, stage, binaryMediaTypes, null);
        }
    }
}
