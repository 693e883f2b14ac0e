package io.mediasuite.tests;

import io.mediasuite.local.emulator.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the project under test, and its events/ fixtures. */
final class Project {

    static final Path ROOT = ProjectLayout.root();
    static final Path EVENTS = ROOT.resolve("events");

    private Project() {
    }

    /** events/&lt;LogicalId&gt;/*.json for one function, sorted. */
    static List<Path> events(String functionId) {
        Path dir = EVENTS.resolve(functionId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folders under events/ (each must name a function of the template). */
    static List<String> eventFolders() {
        try (Stream<Path> dirs = Files.list(EVENTS)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java binary of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
