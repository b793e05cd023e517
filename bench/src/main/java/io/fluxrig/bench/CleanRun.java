package io.fluxrig.bench;

/**
 * Runs a bench run so that its clean-up (stopping the processes it started) happens whether the run
 * ends, fails or the JVM is stopped (Ctrl-C, SIGTERM): a shutdown hook while it runs, a direct call
 * after. The clean-up may thus run twice (hook and caller) and must be idempotent.
 */
public final class CleanRun {
    /** The run itself, on the caller's thread. */
    public interface Work {
        void run() throws Exception;
    }

    private CleanRun() {
    }

    /** @param hookName the shutdown hook thread's name */
    public static void run(String hookName, Work work, Runnable cleanUp) throws Exception {
        Thread hook = new Thread(cleanUp, hookName);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            work.run();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            cleanUp.run();
        }
    }
}
