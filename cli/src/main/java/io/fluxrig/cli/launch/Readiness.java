package io.fluxrig.cli.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A condition that says a started process is ready, checked by polling: a file the process
 * writes when ready (the rack's {@code rack.ready}, the Mixer's {@code mixer.ready}, the issuer's
 * {@code --ready-file}), or a port that accepts connections (nats-server). Never a log line.
 */
public interface Readiness {
    /** @return whether the process is ready now */
    boolean ready();

    /** @return what is awaited, for messages ("the file /x/rack.ready") */
    String describe();

    /** Ready when the file exists (the process writes it atomically once ready). */
    static Readiness file(Path file) {
        return new Readiness() {
            @Override
            public boolean ready() {
                return Files.isRegularFile(file);
            }

            @Override
            public String describe() {
                return "the readiness file " + file;
            }
        };
    }

    /** Ready when 127.0.0.1:port accepts a TCP connection. */
    static Readiness port(int port) {
        return new Readiness() {
            @Override
            public boolean ready() {
                return listening(port);
            }

            @Override
            public String describe() {
                return "port " + port + " to accept connections";
            }
        };
    }

    /** @return whether 127.0.0.1:port accepts a TCP connection */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
