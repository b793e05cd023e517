package io.fluxrig.testsupport;

import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The identities of a test server or cluster: its root of trust ({@code <folder>/trust}) and
 * one creds file per {@link Role} ({@code <folder>/creds/<role>.creds}, 0600, no expiry), made
 * when the server is made. Shared by {@link NatsServer} and {@link NatsCluster}.
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

    Options.Builder options(List<String> urls, Role role) {
        return new Options.Builder().servers(urls.toArray(new String[0])).authHandler(new CredsAuthHandler(creds(role)));
    }

    Connection connect(List<String> urls, Role role) throws IOException, InterruptedException {
        return Nats.connect(options(urls, role).build());
    }
}
