package io.fluxrig.cli.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a rack or Mixer JVM for {@code fluxrig rack} / {@code fluxrig mixer}: with
 * {@code --print-command FILE}, writes its working directory and command line NUL-separated to FILE
 * for {@code run/fluxrig} to change into and exec (one JVM, receiving SIGTERM itself); a file rather
 * than stdout, so that stdout stays the user's terminal and the CLI can prompt on it (the JDK console
 * needs a terminal on both stdin and stdout). Otherwise starts it in the foreground with this
 * process's streams and passes SIGTERM/Ctrl-C on to it (a shutdown hook that waits for it to stop).
 */
final class JvmRun {
    private JvmRun() {
    }

    /**
     * @param printTo where to write the command line instead of running it, or null to run it
     * @return the JVM's exit code, or 0 once the command line is written
     */
    static int run(StartLine line, Path printTo) throws IOException {
        List<String> command = line.argv();
        if (printTo != null) {
            ByteArrayOutputStream argv = new ByteArrayOutputStream();
            argv.write(line.dir().toString().getBytes(StandardCharsets.UTF_8));
            argv.write(0);
            for (String arg : command) {
                argv.write(arg.getBytes(StandardCharsets.UTF_8));
                argv.write(0);
            }
            Files.write(printTo, argv.toByteArray());
            return 0;
        }
        Process p = new ProcessBuilder(command).directory(line.dir().toFile()).inheritIO().start();
        Thread hook = new Thread(() -> {
            p.toHandle().destroy();
            try {
                if (!p.waitFor(Supervisor.STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "fluxrig-stop-child");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the child
            }
        }
    }
}
