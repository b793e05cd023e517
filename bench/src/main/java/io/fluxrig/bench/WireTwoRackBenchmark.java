package io.fluxrig.bench;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * End to end through wires between two gears in two racks, against one raw JetStream hop, in the
 * same run on the same nats-server. Rack {@code ra} ({@code wire:e2e.in -> pass (transform) ->
 * wire:e2e.mid}) and rack {@code rb} ({@code wire:e2e.mid -> pass (transform) -> wire:e2e.out})
 * are real rack processes ({@link WireBenchRack}). One driver in this JVM (raw jnats) publishes
 * fluxMsgs carrying their send time ({@code data.t0}, {@code System.nanoTime()}) with a
 * {@code Nats-Msg-Id}, as a wire does, and consumes the output through a durable pull consumer
 * ({@code consume}, explicit ack). Baseline: the same driver, publishing to {@code base} and
 * consuming {@code base} itself: one JetStream hop, no rack. So the rack path has three stream
 * hops and two racks (each: pull, decode, transform, encode, publish, wait for its ack, then ack).
 *
 * <p>Each round runs both paths (order alternating): latency at a fixed rate (open loop: send
 * times are planned, so a stall shows in the tail), then throughput (as fast as a window of
 * publishes in flight allows; msgs/s = messages ÷ time until the last one was consumed).
 * Prints the numbers and the rack ÷ raw ratios; asserts nothing. Settings ({@code key=value}):
 * {@code root} (repository, default {@code .}), {@code rounds} (2), {@code rate} (200/s),
 * {@code latencyCount} (2000), {@code messages} (10000), {@code window} (256), {@code inFlight} (the
 * racks' {@code default.max.in.flight}; 0, the default, keeps the transport's 16), {@code rackOpts} (more
 * JVM options for both racks, {@code {rack}} replaced by the rack's name, e.g.
 * {@code -XX:StartFlightRecording=filename=/tmp/{rack}.jfr,settings=profile,dumponexit=true}).
 * Also prints the CPU time per message of each process (this driver, nats-server, each rack)
 * during the throughput phases.
 */
public final class WireTwoRackBenchmark {
    private static final FluxMsgCbor CBOR = FluxMsgCbor.standard();

    private WireTwoRackBenchmark() {
    }

    /** What one path measured; cpuPerMsg: CPU microseconds per message during the throughput phase, by process. */
    private record Run(double msgsPerSecond, long[] latencies, int received, Map<String, Double> cpuPerMsg) {
    }

    /**
     * CPU time so far (ms) of this JVM and of each child process (nats-server, the racks' java), by
     * name, and the kernel part of it as "NAME sys" (Linux {@code /proc/PID/stat}, 100 ticks/s).
     */
    private static Map<String, Long> cpu() {
        Map<String, Long> m = new java.util.TreeMap<>();
        addCpu(m, "driver", ProcessHandle.current().pid());
        ProcessHandle.current().children().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            String name = cmd.contains("nats-server") ? "nats-server" : cmd.contains("fluxrig.rack.name=ra") ? "rack ra"
                    : cmd.contains("fluxrig.rack.name=rb") ? "rack rb" : null;
            if (name != null) {
                addCpu(m, name, p.pid());
            }
        });
        return m;
    }

    private static void addCpu(Map<String, Long> m, String name, long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long user = Long.parseLong(f[11]) * 10;
            long sys = Long.parseLong(f[12]) * 10;
            m.put(name, user + sys);
            m.put(name + " sys", sys);
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or the process ended: leave it out
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = KeyValueArgs.parse(args, "WireTwoRackBenchmark: settings are key=value, not ");
        Path root = Path.of(a.getOrDefault("root", ".")).toAbsolutePath().normalize();
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "200"));
        int latencyCount = Integer.parseInt(a.getOrDefault("latencyCount", "2000"));
        int messages = Integer.parseInt(a.getOrDefault("messages", "10000"));
        int window = Integer.parseInt(a.getOrDefault("window", "256"));
        int inFlight = Integer.parseInt(a.getOrDefault("inFlight", "0"));
        String rackOpts = a.getOrDefault("rackOpts", "");
        Path tmp = Files.createTempDirectory("fluxrig-bench-racks-");
        try (BenchNatsServer server = new BenchNatsServer(); Connection c = Nats.connect(server.options().build())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            for (String wire : List.of("base", "e2e.in", "e2e.mid", "e2e.out")) {
                jsm.addStream(StreamConfiguration.builder().name("WIRE_" + wire.replace('.', '_')).subjects("fluxrig.wire." + wire)
                        .storageType(StorageType.File).maxAge(Duration.ofDays(7)).duplicateWindow(Duration.ofMinutes(2))
                        .discardPolicy(DiscardPolicy.Old).build());
            }
            try (WireBenchRack ra = new WireBenchRack(root, tmp.resolve("ra"), "ra", server.url(), server.creds(), server.ca(),
                    patch("ra", "e2e.in", "e2e.mid"), inFlight, rackOpts);
                    WireBenchRack rb = new WireBenchRack(root, tmp.resolve("rb"), "rb", server.url(), server.creds(), server.ca(),
                            patch("rb", "e2e.mid", "e2e.out"), inFlight, rackOpts)) {
                System.out.printf("two-rack wire benchmark: nats-server %s (file streams, R1); racks ra (pid %d) and rb (pid %d);"
                        + " consumer max in flight %s; latency at %d msgs/s x %d, throughput %d messages, window %d, %d rounds%n",
                        c.getServerInfo().getVersion(), ra.pid(), rb.pid(), inFlight > 0 ? inFlight : "16 (default)", rate,
                        latencyCount, messages, window, rounds);
                System.out.println("load average at start: " + loadAverage());
                run(c, "e2e.in", "e2e.out", 200, 100, 500, window); // warm-up: racks' JIT, consumers created
                run(c, "base", "base", 200, 100, 500, window);
                List<Run> raw = new ArrayList<>();
                List<Run> racks = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    for (int side = 0; side < 2; side++) {
                        boolean isRaw = (side == 0) == (r % 2 == 0);
                        Run run = isRaw ? run(c, "base", "base", rate, latencyCount, messages, window)
                                : run(c, "e2e.in", "e2e.out", rate, latencyCount, messages, window);
                        (isRaw ? raw : racks).add(run);
                    }
                }
                report(raw, racks, latencyCount, messages);
                System.out.println("load average at end: " + loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
                        + " cores)");
            }
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String patch(String rack, String in, String out) {
        return String.join("\n", "rack: " + rack, "gears:", "  pass:", "    type: transform", "    config: { set: [stage=" + rack + "] }",
                "links:", "  - wire:" + in + " -> pass.in", "  - pass.out -> wire:" + out, "");
    }

    /** Latency at a fixed rate, then throughput, publishing to {@code in} and consuming {@code out}. */
    private static Run run(Connection c, String in, String out, int rate, int latencyCount, int messages, int window)
            throws Exception {
        JetStream js = c.jetStream();
        PublishOptions opts = PublishOptions.builder().expectedStream("WIRE_" + in.replace('.', '_')).build();
        String subject = "fluxrig.wire." + in;
        long[] latency = new long[latencyCount];
        Sink sink = new Sink(c, out, latencyCount, latency);
        try {
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            Semaphore free = new Semaphore(window);
            for (int i = 0; i < latencyCount; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                publish(js, subject, opts, i, due, free);
            }
            sink.await(Duration.ofSeconds(60));
        } finally {
            sink.close();
        }
        Sink flood = new Sink(c, out, messages, null);
        Map<String, Long> cpu0 = cpu();
        long t0 = System.nanoTime();
        try {
            Semaphore free = new Semaphore(window);
            for (int i = 0; i < messages; i++) {
                publish(js, subject, opts, i, System.nanoTime(), free);
            }
            flood.await(Duration.ofSeconds(120));
        } finally {
            flood.close();
        }
        double seconds = (flood.lastAt - t0) / 1e9;
        Map<String, Double> cpuPerMsg = new java.util.TreeMap<>();
        cpu().forEach((k, v) -> cpuPerMsg.put(k, (v - cpu0.getOrDefault(k, v)) * 1000.0 / messages));
        return new Run(messages / seconds, latency, sink.received + flood.received, cpuPerMsg);
    }

    /** One fluxMsg with its planned send time, published with a window slot (released on the ack). */
    private static void publish(JetStream js, String subject, PublishOptions opts, long seq, long t0, Semaphore free)
            throws InterruptedException {
        FluxMsg m = FluxMsg.builder().src("driver").data("mti", "0200").data("pan", "4761739001010119")
                .data("amount", new BigDecimal("125.50")).data("currency", "EUR").data("seq", seq).data("t0", t0).build();
        Headers h = new Headers();
        h.put("Nats-Msg-Id", m.id() + "/" + m.path().size());
        h.put("Content-Type", "application/cbor; fluxmsg=1");
        free.acquire();
        CompletableFuture<?> ack = js.publishAsync(subject, h, CBOR.encode(m), opts);
        ack.whenComplete((ok, e) -> {
            free.release();
            if (e != null) {
                System.err.println("publish failed: " + e);
            }
        });
    }

    /**
     * A durable pull consumer of its own (new messages only, deleted by {@link #close}) that acks
     * each message and records its latency. Handler calls come from one jnats thread.
     */
    private static final class Sink {
        private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();
        private final Connection connection;
        private final String stream;
        private final String name = "driver-" + COUNTER.incrementAndGet();
        private final MessageConsumer consumer;
        private final CountDownLatch done;
        private volatile int received;
        private volatile long lastAt;

        Sink(Connection c, String wire, int expect, long[] latency) throws Exception {
            this.connection = c;
            this.stream = "WIRE_" + wire.replace('.', '_');
            ConsumerContext cc = c.getStreamContext(stream).createOrUpdateConsumer(ConsumerConfiguration.builder()
                    .durable(name).ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.New)
                    .filterSubject("fluxrig.wire." + wire).build());
            done = new CountDownLatch(expect);
            consumer = cc.consume(msg -> {
                long now = System.nanoTime();
                msg.ack();
                try {
                    FluxMsg m = CBOR.decode(msg.getData());
                    int i = ((Number) m.data().get("seq")).intValue();
                    if (latency != null && i < latency.length && latency[i] == 0) {
                        latency[i] = now - ((Number) m.data().get("t0")).longValue();
                    }
                } catch (io.fluxrig.msg.cbor.CborException | RuntimeException e) {
                    System.err.println("undecodable output: " + e);
                }
                received++;
                lastAt = now;
                done.countDown();
            });
        }

        void await(Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("only " + received + " messages arrived within " + timeout);
            }
        }

        void close() throws Exception {
            consumer.stop();
            consumer.close();
            connection.jetStreamManagement().deleteConsumer(stream, name);
        }
    }

    private static void report(List<Run> raw, List<Run> racks, int latencyCount, int messages) {
        double rawRate = median(raw.stream().mapToDouble(Run::msgsPerSecond).toArray());
        double rackRate = median(racks.stream().mapToDouble(Run::msgsPerSecond).toArray());
        long[] rawLat = raw.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray();
        long[] rackLat = racks.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray();
        System.out.printf(Locale.ROOT, "throughput per round, msgs/s: raw hop %s, two racks %s%n",
                raw.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.msgsPerSecond())).toList(),
                racks.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.msgsPerSecond())).toList());
        System.out.printf(Locale.ROOT, "received per round (expected %d): raw %s, racks %s%n", latencyCount + messages,
                raw.stream().map(Run::received).toList(), racks.stream().map(Run::received).toList());
        System.out.println("path                         msgs/s (median)   latency p50 ms   p99 ms   max ms");
        row("raw JetStream hop (baseline)", rawRate, rawLat);
        row("wire->rack->wire->rack->wire", rackRate, rackLat);
        System.out.printf(Locale.ROOT, "ratio two racks / raw hop:     %6.2fx            %6.2fx        %6.2fx%n",
                rackRate / rawRate, pct(rackLat, 0.5) / pct(rawLat, 0.5), pct(rackLat, 0.99) / pct(rawLat, 0.99));
        System.out.println("CPU us per message in the throughput phase (per round): raw hop " + raw.stream().map(r -> cpuText(r.cpuPerMsg()))
                .toList() + "; two racks " + racks.stream().map(r -> cpuText(r.cpuPerMsg())).toList());
    }

    private static String cpuText(Map<String, Double> m) {
        double total = m.entrySet().stream().filter(e -> !e.getKey().endsWith(" sys")).mapToDouble(Map.Entry::getValue).sum();
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append(' ').append(Math.round(v)).append(", "));
        return b.append("total ").append(Math.round(total)).toString();
    }

    private static void row(String name, double rate, long[] lat) {
        System.out.printf(Locale.ROOT, "%-28s %10.0f        %8.2f      %7.2f  %7.2f%n", name, rate, pct(lat, 0.5), pct(lat, 0.99),
                pct(lat, 1.0));
    }

    /** @return the q-quantile in milliseconds, over the samples that arrived (0 = never arrived) */
    private static double pct(long[] v, double q) {
        long[] s = Arrays.stream(v).filter(x -> x > 0).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[Math.min(s.length - 1, (int) (s.length * q))] / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
