package io.mediasuite.local.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs CloudFront Functions (JavaScript) in one persistent Node.js child process, fed line-delimited JSON: one line
 * per load or run request, one line per answer, matched by id, so concurrent viewers share the process.
 */
final class FunctionHost implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long ANSWER_TIMEOUT_SECONDS = 5;

    /** A function that failed to load or run (CloudFront answers the viewer 503). */
    static final class FunctionException extends Exception {
        private static final long serialVersionUID = 1L;

        FunctionException(String message) {
            super(message);
        }
    }

    private final Process process;
    private final OutputStream stdin;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private FunctionHost(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readAnswers, "cloudfront-functions-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code node} with the host script and loads the functions (logical id to code).
     *
     * @throws IllegalStateException in one line when Node.js is missing or a function does not load
     */
    static FunctionHost start(Map<String, String> functions) {
        return start("node", functions);
    }

    /** As {@link #start(Map)}, with another Node.js executable (tests name a missing one). */
    static FunctionHost start(String nodeCommand, Map<String, String> functions) {
        String script;
        try (InputStream in = FunctionHost.class.getResourceAsStream("cloudfront-functions.js")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CloudFront Functions host script", e);
        }
        Process process;
        try {
            process = new ProcessBuilder(nodeCommand, "-e", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("the local edge runs the template's CloudFront Functions with Node.js, and `"
                    + nodeCommand + "` is not on the PATH: install Node.js 18 or newer");
        }
        FunctionHost host = new FunctionHost(process);
        functions.forEach((name, code) -> {
            try {
                host.call(Map.of("op", "load", "name", name, "code", code));
            } catch (FunctionException e) {
                host.close();
                throw new IllegalStateException("CloudFront Function " + name + " does not load: " + e.getMessage());
            }
        });
        return host;
    }

    /** Runs a loaded function's handler on an event; the answer is what the handler returned. */
    JsonNode run(String name, Object event) throws FunctionException {
        return call(Map.of("op", "run", "name", name, "event", event)).path("result");
    }

    private JsonNode call(Map<String, Object> request) throws FunctionException {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            Map<String, Object> message = new java.util.LinkedHashMap<>(request);
            message.put("id", id);
            byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (stdin) {
                stdin.write(line);
                stdin.flush();
            }
            JsonNode node = answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (node.has("error")) {
                throw new FunctionException(node.path("error").asText());
            }
            return node;
        } catch (IOException e) {
            throw new FunctionException("the Node.js process is gone (" + e.getMessage() + ")");
        } catch (TimeoutException e) {
            throw new FunctionException("no answer within " + ANSWER_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new FunctionException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionException("interrupted");
        } finally {
            pending.remove(id);
        }
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                CompletableFuture<JsonNode> answer = pending.get(node.path("id").asLong());
                if (answer != null) {
                    answer.complete(node);
                }
            }
        } catch (IOException e) {
            // the process ended; pending calls fail below
        }
        pending.values().forEach(f -> f.completeExceptionally(new IOException("the Node.js process ended")));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
