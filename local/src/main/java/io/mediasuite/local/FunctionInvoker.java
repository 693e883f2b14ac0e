package io.mediasuite.local;

/**
 * Something that runs a function's invocations: one {@link LocalLambda} (one instance, one invocation at a time)
 * or a {@link FunctionPool} (as many instances as the function's concurrency allows).
 */
public interface FunctionInvoker {

    /** The function this invoker runs. */
    FunctionSpec spec();

    /**
     * Runs one synchronous invocation and returns the response payload.
     *
     * @throws LocalLambda.FunctionErrorException when the function fails (its payload is Lambda's error document)
     * @throws FunctionPool.ThrottledException    when no instance may take the invocation now
     */
    byte[] invoke(byte[] event);
}
