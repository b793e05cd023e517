package io.fluxrig.testsupport;

import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The identities of a test server or cluster: its root of trust ({@code <folder>/trust}), one
 * creds file per {@link Role} ({@code <folder>/creds/<role>.creds}, 0600, no expiry), and unless
 * plaintext its TLS: a CA of its own ({@code <folder>/tls/ca.crt}, key 0600) and a server
 * certificate for 127.0.0.1 and localhost ({@code <folder>/tls/server/}), made when the server is made. Shared by {@link NatsServer} and {@link NatsCluster}. No jnats type
 * here ({@link NatsClients} has them): the in-framework tests copy these classes into a bundle
 * that cannot see jnats.
 *
 * <p>Threading: immutable after construction; safe from any thread.
 */
final class NatsIdentities {
    private final NatsTrust trust;
    private final Map<Role, Path> creds = new EnumMap<>(Role.class);
    private final ServerTls tls;

    /** @param tls whether the server serves TLS (a CA and a server certificate are made) */
    NatsIdentities(Path folder, boolean tls) {
        try {
            if (tls) {
                LocalCa ca = LocalCa.loadOrCreate(folder.resolve("tls"));
                this.tls = ca.issueServer(folder.resolve("tls").resolve("server"), java.util.List.of("127.0.0.1", "localhost"),
                        java.time.Duration.ofDays(30));
            } else {
                this.tls = null;
            }
            this.trust = NatsTrust.loadOrCreate(folder.resolve("trust"));
            for (Role r : Role.values()) {
                creds.put(r, trust.writeCreds(r, "test-" + r.name().toLowerCase(java.util.Locale.ROOT), null,
                        folder.resolve("creds").resolve(r.name().toLowerCase(java.util.Locale.ROOT) + ".creds")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the NATS identities under " + folder, e);
        }
    }

    /**
     * @return a new client TLS context trusting only this server's CA and checking its name (what
     *     every NATS client of fluxrig builds, {@code TlsContexts.verifyingServer}), or null for a
     *     plaintext server
     */
    javax.net.ssl.SSLContext sslContext() {
        if (tls == null) {
            return null;
        }
        try {
            return io.fluxrig.snake.api.tls.TlsContexts.verifyingServer(io.fluxrig.snake.api.tls.Pem.readCertificate(tls.ca()),
                    "a NATS server");
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the test NATS CA " + tls.ca() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** @return the server's TLS files, or null for a plaintext server */
    ServerTls tls() {
        return tls;
    }

    NatsTrust trust() {
        return trust;
    }

    Path creds(Role role) {
        return creds.get(role);
    }

}
