package io.mediasuite.local.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project root (the folder holding template.yaml and the aggregator pom.xml) from anywhere inside it. */
public final class ProjectLayout {

    private ProjectLayout() {
    }

    /** The project root above {@code start}, or {@code start} itself. */
    public static Path rootFrom(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (template.yaml + pom.xml) above " + start.toAbsolutePath());
    }

    /** The project root above the working directory (Maven runs each module's tests in the module folder). */
    public static Path root() {
        return rootFrom(Path.of(System.getProperty("user.dir")));
    }
}
