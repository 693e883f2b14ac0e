package io.mediasuite.local;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Packages a small handler written by a test as a Lambda artifact (classes at the root, aws-lambda-java-core in
 * lib/), so the runner loads it exactly as it loads the project's functions: own class loader, own init.
 */
public final class TestFunctions {

    private TestFunctions() {
    }

    /**
     * Compiles {@code source} (a public class {@code className} in the default package implementing
     * RequestStreamHandler) into an artifact folder under {@code dir}.
     */
    public static FunctionSpec compile(Path dir, String logicalId, String className, String source,
                                       List<FunctionSpec.ApiRoute> routes) {
        try {
            Path src = Files.createDirectories(dir.resolve("src"));
            Path artifact = Files.createDirectories(dir.resolve("artifact"));
            Path lib = Files.createDirectories(artifact.resolve("lib"));
            Path core = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Files.copy(core, lib.resolve(core.getFileName()));
            Path file = src.resolve(className + ".java");
            Files.writeString(file, source);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int status = compiler.run(null, null, null, "-classpath", core.toString(), "-d", artifact.toString(),
                    file.toString());
            if (status != 0) {
                throw new IllegalStateException("test function " + className + " does not compile");
            }
            Map<String, String> env = Map.of("AWS_REGION", "us-east-1");
            return new FunctionSpec(logicalId, logicalId, className + "::handleRequest", dir, 128, 10, env, routes,
                    artifact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
