package io.mediasuite.thumbnails.pipeline.resample;

/**
 * Whether the JDK's incubating Vector API ({@code jdk.incubator.vector}) is there to use: the module is in the boot
 * layer (added by {@code --add-modules=jdk.incubator.vector}, which the template's {@code JAVA_TOOL_OPTIONS} set
 * for the function) and not switched off with {@code -Dthumbnails.vector=false}. The classes that use the API
 * ({@link VectorRowPass}, {@link VectorWidening}) are loaded only when it is: loading them without the module
 * fails. Every caller has a scalar path that gives the same results.
 */
public final class VectorApi {

    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("thumbnails.vector"));

    private VectorApi() {
    }
}
