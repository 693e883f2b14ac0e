package io.mediasuite.thumbnails.pipeline.resample;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JDK's incubating Vector API ({@code jdk.incubator.vector}) is there to use: the module is in the boot
 * layer (added by {@code --add-modules=jdk.incubator.vector}, which the template's {@code JAVA_TOOL_OPTIONS} set
 * for the function), C2 compiles, and it is not switched off with {@code -Dthumbnails.vector=false}. The classes
 * that use the API ({@link VectorRowPass}, {@link VectorWidening}, {@code png.VectorUnfilter}) are loaded only when
 * it is: loading them without the module fails. Every caller has a scalar path that gives the same results.
 */
public final class VectorApi {

    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("thumbnails.vector")) && optimisingCompiler();

    private VectorApi() {
    }

    /**
     * Whether C2 compiles here: only C2 turns vector operations into vector instructions. With C1 alone ({@code
     * -XX:TieredStopAtLevel=1}, the Globals' setting for the other functions) the species still report their full
     * width, and the API's Java fallback made 100 renders 2.6x slower than the scalar code. Assumed when the
     * options cannot be read.
     */
    private static boolean optimisingCompiler() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean tiered = Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue());
            int highestTier = Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue());
            return Boolean.parseBoolean(vm.getVMOption("UseCompiler").getValue()) && (!tiered || highestTier >= 4);
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }
}
