package io.fluxrig.testsupport;

import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The identities of a test server or cluster: its root of trust ({@code <folder>/trust}) and
 * one creds file per {@link Role} ({@code <folder>/creds/<role>.creds}, 0600, no expiry), made
 * when the server is made. Shared by {@link NatsServer} and {@link NatsCluster}. No jnats type
 * here ({@link NatsClients} has them): the in-framework tests copy these classes into a bundle
 * that cannot see jnats.
 *
 * <p>Threading: immutable after construction; safe from any thread.
 */
final class NatsIdentities {
    private final NatsTrust trust;
    private final Map<Role, Path> creds = new EnumMap<>(Role.class);

    NatsIdentities(Path folder) {
        try {
            this.trust = NatsTrust.loadOrCreate(folder.resolve("trust"));
            for (Role r : Role.values()) {
                creds.put(r, trust.writeCreds(r, "test-" + r.name().toLowerCase(java.util.Locale.ROOT), null,
                        folder.resolve("creds").resolve(r.name().toLowerCase(java.util.Locale.ROOT) + ".creds")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the NATS identities under " + folder, e);
        }
    }

    NatsTrust trust() {
        return trust;
    }

    Path creds(Role role) {
        return creds.get(role);
    }

}
