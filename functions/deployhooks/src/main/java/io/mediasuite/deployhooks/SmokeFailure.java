package io.mediasuite.deployhooks;

/**
 * The new version failed a smoke check: it must not take traffic. The message says what was checked and what
 * came back; it goes to the hook's log, which is where an operator looks after a rollback.
 */
public final class SmokeFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public SmokeFailure(String message) {
        super(message);
    }

    public SmokeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
