package io.fluxrig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The streams a command uses: injected so that tests need no process or System streams. The CLI
 * is single-threaded; the streams are owned by the caller and never closed by commands.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param env the environment variables (the process's, or a test's)
 */
public record Console(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    /** Streams with the process's environment. */
    public Console(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, System.getenv());
    }

    /** Largest standard input read, in bytes (hex doubles a 2 MiB envelope, plus whitespace). */
    static final int MAX_INPUT = 8 * 1024 * 1024;

    /**
     * @return all of standard input
     * @throws IOException when reading fails or the input is larger than {@link #MAX_INPUT}
     */
    public byte[] readAllInput() throws IOException {
        byte[] data = in.readNBytes(MAX_INPUT + 1);
        if (data.length > MAX_INPUT) {
            throw new IOException("input larger than " + MAX_INPUT + " bytes");
        }
        return data;
    }
}
