package io.fluxrig.testsupport;

import io.fluxrig.nats.trust.jnats.CredsAuthHandler;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import javax.net.ssl.SSLContext;
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

    /** @param tls the client's TLS context (trusting the server's CA), or null for a plaintext server */
    static Options.Builder options(List<String> urls, Path creds, SSLContext tls) {
        Options.Builder b = new Options.Builder().servers(urls.toArray(new String[0])).authHandler(new CredsAuthHandler(creds));
        return tls == null ? b : b.sslContext(tls);
    }

    static Connection connect(List<String> urls, Path creds, SSLContext tls) throws IOException, InterruptedException {
        return Nats.connect(options(urls, creds, tls).build());
    }
}
