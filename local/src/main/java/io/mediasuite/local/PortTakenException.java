package io.mediasuite.local;

/** A port the runner was to listen on is in use: the message names it, what it was for, and what to do. */
public final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A port of {@code start-api}'s (the edge's or an API's). */
    PortTakenException(String what, String host, int port) {
        this(what, host, port, "--port / --api-port");
    }

    PortTakenException(String what, String host, int port, String option) {
        super("port " + port + " on " + host + " is already in use (wanted for " + what
                + "): stop what uses it, or choose another with " + option + " (--port 0: free ports)");
    }
}
