import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-hop latency of the demo topology from what the messages themselves carry: each fluxMsg's
 * path (a nanosecond timestamp per gear, stamped by the rack that ran it) and JetStream's own
 * stored timestamp of each wire message. Reads both wires from the start without acknowledging
 * (an ephemeral consumer, AckPolicy none), pairs each decision with its request (decision ref =
 * request id), keeps the pairs whose first hop is at or after SINCE_MS, and prints p50/p99/p99.9
 * per hop. Every process runs on this one machine, so the clocks are one clock.
 *
 * <p>Run with the CLI's classpath (java source-file mode):
 * {@code java -cp "cli/target/fluxrig-cli.jar:cli/target/lib/*" bench/e2e/Hops.java NATS_URL SINCE_MS CREDS}
 */
public class Hops {
    record Stored(FluxMsg msg, long storedNanos) {
    }

    public static void main(String[] args) throws Exception {
        long since = Long.parseLong(args[1]) * 1_000_000L;
        Map<String, Stored> requests = new HashMap<>();
        List<Stored> decisions = new ArrayList<>();
        // The demo's NATS requires authentication: its admin creds file (reads without acknowledging);
        // and TLS: its CA file.
        try (Connection c = Nats.connect(new io.nats.client.Options.Builder().server(args[0])
                .sslContext(io.fluxrig.snake.api.tls.TlsContexts.verifyingServer(
                        io.fluxrig.snake.api.tls.Pem.readCertificate(java.nio.file.Path.of(args[3])), "a NATS server"))
                .authHandler(new io.fluxrig.nats.trust.jnats.CredsAuthHandler(java.nio.file.Path.of(args[2]))).build())) {
            read(c, "WIRE_auth_requests", s -> requests.put(s.msg().id().toString(), s));
            read(c, "WIRE_auth_responses_edge", decisions::add);
        }
        Map<String, List<Long>> hops = new LinkedHashMap<>();
        for (String h : List.of("edge: frame in -> JSON request emitted", "edge -> stored on auth.requests",
                "auth.requests -> core issuer answered (pull + HTTP)", "core -> stored on auth.responses.edge",
                "frame in -> decision stored (sum)")) {
            hops.put(h, new ArrayList<>());
        }
        int paired = 0;
        for (Stored d : decisions) {
            Stored r = d.msg().ref() == null ? null : requests.get(d.msg().ref().toString());
            List<Hop> path = d.msg().path();
            if (r == null || path.size() < 4 || path.get(0).ts() < since) {
                continue;
            }
            long in = path.get(0).ts();
            long json = last(path, "edge");
            long answered = last(path, "core");
            paired++;
            hops.get("edge: frame in -> JSON request emitted").add(json - in);
            hops.get("edge -> stored on auth.requests").add(r.storedNanos() - json);
            hops.get("auth.requests -> core issuer answered (pull + HTTP)").add(answered - r.storedNanos());
            hops.get("core -> stored on auth.responses.edge").add(d.storedNanos() - answered);
            hops.get("frame in -> decision stored (sum)").add(d.storedNanos() - in);
        }
        System.out.printf(Locale.ROOT, "hops of %d request/decision pairs (ms)%n", paired);
        System.out.printf(Locale.ROOT, "| %-52s | %8s | %8s | %8s |%n", "hop", "p50", "p99", "p99.9");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(54), "-".repeat(10), "-".repeat(10), "-".repeat(10));
        hops.forEach((name, v) -> {
            long[] a = v.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %-52s | %8.3f | %8.3f | %8.3f |%n", name, pct(a, .5), pct(a, .99), pct(a, .999));
        });
    }

    private static long last(List<Hop> path, String rack) {
        long ts = -1;
        for (Hop h : path) {
            if (h.rack().equals(rack)) {
                ts = h.ts();
            }
        }
        return ts;
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] / 1e6;
    }

    private static void read(Connection c, String stream, Consumer<Stored> sink) throws Exception {
        FluxMsgCbor codec = FluxMsgCbor.standard();
        JetStreamSubscription sub = c.jetStream().subscribe(null, PullSubscribeOptions.builder().stream(stream)
                .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.None).deliverPolicy(DeliverPolicy.All).build())
                .build());
        while (true) {
            List<Message> batch = sub.fetch(1000, Duration.ofSeconds(2));
            if (batch.isEmpty()) {
                break;
            }
            for (Message m : batch) {
                ZonedDateTime t = m.metaData().timestamp();
                sink.accept(new Stored(codec.decode(m.getData()), t.toEpochSecond() * 1_000_000_000L + t.getNano()));
            }
        }
        sub.unsubscribe();
    }
}
