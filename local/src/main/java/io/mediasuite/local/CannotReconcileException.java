package io.mediasuite.local;

/**
 * A resource left in the emulators by an earlier run differs from the template in a way the emulator cannot change
 * in place (a table's key schema, a queue attribute the emulator refuses to set): the message names the resource,
 * the difference and what the user can do, in one line.
 */
public final class CannotReconcileException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CannotReconcileException(String kind, String name, String difference) {
        super(kind + " " + name + " exists with " + difference + ": delete " + kind + " " + name
                + " or use --stack-name");
    }
}
