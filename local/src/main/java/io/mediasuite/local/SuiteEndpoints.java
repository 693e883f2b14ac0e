package io.mediasuite.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state file {@code start-api} writes while it runs, {@code target/sam-local/<stack-name>/endpoints.json}
 * under the project root: where the running suite's emulators, APIs and edge are, so a second command (for
 * example {@code sam-local sync-site}) can reach them. It is removed when the runner stops; {@code pid} lets a
 * reader tell a file left by a killed runner from a live one.
 *
 * @param stackName the stack the suite runs
 * @param pid       the runner's process id
 * @param region    the region the emulators are used with
 * @param services  service name ({@code DYNAMODB}, {@code S3}, {@code SQS}, ...) -> its endpoint
 * @param apis      API logical id -> base URL
 * @param edge      the local CloudFront edge's URL, or null when the template declares no distribution
 * @param resources logical id -> physical id ({@code !Ref}) of the stack's resources in the emulators, e.g. the
 *                  buckets {@code sync-site} deploys into
 */
public record SuiteEndpoints(String stackName, long pid, String region, Map<String, URI> services,
                             Map<String, URI> apis, URI edge, Map<String, String> resources) {

    /** Where the state file of {@code stackName} lives for the project at {@code root}. */
    public static Path file(Path root, String stackName) {
        return root.resolve("target").resolve("sam-local").resolve(stackName).resolve("endpoints.json");
    }

    /** The endpoints of a running suite, as this process sees them. */
    public static SuiteEndpoints of(LocalSuite suite) {
        Map<String, String> env = suite.cloud().emulators().environment();
        Map<String, URI> services = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("AWS_ENDPOINT_URL_")) {
                services.put(name.substring("AWS_ENDPOINT_URL_".length()), URI.create(value));
            }
        });
        // The functions' CloudFront is the stack's in-process API, not the emulators' moto.
        services.put("CLOUDFRONT", suite.cloud().cloudFront().endpoint());
        return new SuiteEndpoints(suite.cloud().stackName(), ProcessHandle.current().pid(), env.get("AWS_REGION"),
                services, suite.apiEndpoints(), suite.edgeEndpoint(), new TreeMap<>(suite.cloud().createdResources()));
    }

    /** Writes the file atomically (a reader never sees half of it). */
    public void write(Path file) {
        try {
            Jsons.writeAtomically(file, Jsons.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The state of the suite running for that file, if a live runner wrote it.
     *
     * @throws IllegalArgumentException when the file exists but is not such a state file
     */
    public static Optional<SuiteEndpoints> readLive(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        SuiteEndpoints state;
        try {
            state = Jsons.MAPPER.readValue(file.toFile(), SuiteEndpoints.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a sam-local state file: " + e.getMessage());
        }
        boolean alive = ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(state) : Optional.empty();
    }
}
