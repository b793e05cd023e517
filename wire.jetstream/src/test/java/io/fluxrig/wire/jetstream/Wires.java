package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.List;

/** Test settings and messages. */
final class Wires {
    private Wires() {
    }

    static ConsumerSpec consumer(boolean ordered, int maxDeliver, Duration ackWait) {
        return new ConsumerSpec(ordered, 8, ackWait, maxDeliver, Duration.ofMillis(100));
    }

    static StreamSpec stream(String name, String wire, ConsumerSpec consumer) {
        return new StreamSpec(name, List.of(wire), StorageType.File, 1, Duration.ofHours(1), -1, -1,
                Duration.ofMinutes(2), DiscardPolicy.Old, consumer);
    }

    /** @param creds the test server's creds file (a rack's role) */
    static TransportSettings settings(String url, java.nio.file.Path creds) {
        return settings(url, creds, null);
    }

    /**
     * @param creds the test server's creds file (a rack's role)
     * @param ca the CA file of a TLS server, or null
     */
    static TransportSettings settings(String url, java.nio.file.Path creds, java.nio.file.Path ca) {
        return new TransportSettings(List.of(url), "test", Duration.ofMillis(50), Duration.ofMillis(500),
                Duration.ofMillis(1000),
                stream("WIRE_default", "default", consumer(false, 5, Duration.ofSeconds(5))), creds, ca);
    }

    /** @return settings for the test server: its URL, the all-permissions creds, its CA (TLS) */
    static TransportSettings settings(io.fluxrig.testsupport.NatsServer server) {
        return settings(server.url(), server.creds(), server.caFile());
    }

    /**
     * @return a transport that is connected: a publish is one attempt, and one made before the
     *     first connect would fail (the rack's outlet retries it; these tests publish directly)
     */
    static JetStreamWireTransport connected(TransportSettings s) throws InterruptedException {
        JetStreamWireTransport t = new JetStreamWireTransport(s);
        Await.until("connected to " + s.servers(), t::connected);
        return t;
    }

    static FluxMsg msg(String producer, long seq) {
        return FluxMsg.builder().src(producer).data("producer", producer).data("seq", seq).build();
    }
}
