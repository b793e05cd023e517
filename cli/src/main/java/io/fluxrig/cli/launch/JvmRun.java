package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a rack or Mixer JVM for {@code fluxrig rack} / {@code fluxrig mixer}: with
 * {@code --print-command}, prints its working directory and command line NUL-separated for
 * {@code run/fluxrig} to change into and exec (one JVM, receiving SIGTERM itself); otherwise starts it in the foreground with this process's
 * streams and passes SIGTERM/Ctrl-C on to it (a shutdown hook that waits for it to stop).
 */
final class JvmRun {
    private JvmRun() {
    }

    static int run(StartLine line, boolean print, Console console) throws IOException {
        List<String> command = line.argv();
        if (print) {
            console.out().write(line.dir().toString().getBytes(StandardCharsets.UTF_8));
            console.out().write(0);
            for (String arg : command) {
                console.out().write(arg.getBytes(StandardCharsets.UTF_8));
                console.out().write(0);
            }
            console.out().flush();
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
