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
 */
public record FunctionSpec(String logicalId, String functionName, String handler, Path codeUri, int memoryMb,
                           int timeoutSeconds, Map<String, String> environment, List<ApiRoute> routes) {

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
     * The packaged function: the folder the build lays out for Lambda (classes at the root, jars in lib/), as
     * {@code sam build} would put it in its ARTIFACTS_DIR.
     */
    public Path artifactDir() {
        return codeUri.resolve("target").resolve(codeUri.getFileName() + "-lambda");
    }

    /**
     * One {@code Type: Api} event of a function.
     *
     * @param apiId            the logical id of the API (SAM's implicit {@code ServerlessRestApi} when absent)
     * @param path             the resource path with {@code {param}} and {@code {proxy+}} parts
     * @param method           upper-case HTTP method, or {@code ANY}
     * @param stage            the API's stage name
     * @param binaryMediaTypes the API's binary media types, with {@code ~1} decoded to {@code /}
     */
    public record ApiRoute(String apiId, String path, String method, String stage, List<String> binaryMediaTypes) {
    }
}
