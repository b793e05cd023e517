package io.fluxrig.testsupport;

import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * jnats clients of a test server or cluster, authenticated with a creds file. Kept apart from
 * {@link NatsServer} and {@link NatsCluster} so those load without jnats (the in-framework tests
 * use them in a bundle that cannot see it, and never call these). Stateless.
 */
final class NatsClients {
    private NatsClients() {
    }

    static Options.Builder options(List<String> urls, Path creds) {
        return new Options.Builder().servers(urls.toArray(new String[0])).authHandler(new CredsAuthHandler(creds));
    }

    static Connection connect(List<String> urls, Path creds) throws IOException, InterruptedException {
        return Nats.connect(options(urls, creds).build());
    }
}
