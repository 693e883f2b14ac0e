package io.mediasuite.tests;

import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.emulator.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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
    /** An S3 client on the emulator the local stack's functions use (close it). */
    static S3Client s3(LocalCloud cloud) {
        return S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(cloud.functionEnvironment("ThumbnailFunction").get("AWS_ENDPOINT_URL_S3")))
                .build();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
