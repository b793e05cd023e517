package io.fluxrig.nats.local.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLS files of a local nats-server: its certificate and key (PEM, the key mode 0600) and the
 * CA that signed it (what its clients trust, and what routes between the servers of a cluster
 * verify each other with). Writes the server configuration that serves them. Immutable.
 *
 * @param ca the CA certificate (PEM), {@code ca.crt}
 * @param certificate the server certificate (PEM)
 * @param key the server's private key (PKCS#8 PEM, 0600)
 */
public record ServerTls(Path ca, Path certificate, Path key) {
    /**
     * How long a server gives a client for the TLS handshake, in seconds. nats-server's default
     * (2 s) is short for a JVM's first handshake on a loaded machine; the connection is refused,
     * not hung, when it passes.
     */
    public static final int HANDSHAKE_TIMEOUT_S = 10;

    /**
     * Writes a nats-server configuration {@code conf} that includes {@code include} (e.g. the
     * operator-mode configuration {@code NatsTrust.writeServerConfig} wrote; nats-server resolves
     * an include relative to the including file, so both must sit in one folder) and serves TLS
     * on the client port, and with {@code routes} on the route port too (mutual TLS between the
     * servers of a cluster: each presents this certificate and verifies the other's against the CA).
     * Plaintext clients are refused ("TLS required"). nats-server 2.9 has no option for the
     * lowest TLS version: it negotiates TLS 1.3 with clients that offer it (every fluxrig client does).
     *
     * @param conf the file to write
     * @param include a configuration to include, or null
     * @param routes whether the server has cluster routes (then {@code --cluster} is on its command line)
     * @return {@code conf}
     */
    public Path writeConfig(Path conf, Path include, boolean routes) throws IOException {
        Path folder = conf.toAbsolutePath().getParent();
        StringBuilder c = new StringBuilder("# TLS for this nats-server (written by fluxrig; the CA is " + ca + ")\n");
        if (include != null) {
            if (!include.toAbsolutePath().getParent().equals(folder)) {
                throw new IllegalArgumentException(include + " must sit beside " + conf + " (nats-server includes relative paths)");
            }
            c.append("include ./").append(include.getFileName()).append('\n');
        }
        c.append("tls {\n").append(files(false)).append("}\n");
        if (routes) {
            c.append("cluster {\n  tls {\n").append(files(true).indent(2)).append("  }\n}\n");
        }
        Files.createDirectories(folder);
        Files.writeString(conf, c);
        return conf;
    }

    private String files(boolean verify) {
        return "  cert_file: " + quote(certificate) + "\n  key_file: " + quote(key) + "\n"
                + (verify ? "  ca_file: " + quote(ca) + "\n  verify: true\n" : "")
                + "  timeout: " + HANDSHAKE_TIMEOUT_S + "\n";
    }

    private static String quote(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
