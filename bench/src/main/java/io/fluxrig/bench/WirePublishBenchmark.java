package io.fluxrig.bench;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.wire.jetstream.JetStreamWireTransport;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wire publishing against raw jnats on the same nats-server (started here: free port, temporary
 * file store), the same stream ({@code WIRE_bench}), the same payload bytes (one fluxMsg's
 * deterministic CBOR) and headers ({@code Nats-Msg-Id}, {@code Content-Type}), and the same
 * in-flight window:
 * <ul>
 *   <li>throughput: {@code JetStreamWireTransport.publish} (transport window = caller window =
 *       {@code window}) against {@code js.publishAsync} with a semaphore of {@code window};
 *   <li>latency: one publish at a time, wire {@code publish(..).get()} against {@code js.publish},
 *       <b>alternating</b>: every iteration publishes one message on each side, the order of the
 *       sides rotating from one iteration to the next, so a change of load on the shared machine
 *       hits both sides alike. A third side, {@code js.publish} that encodes the fluxMsg and builds
 *       its headers per message ("raw + encode"), tells the wire's own cost from the encoding any
 *       producer of fluxMsgs pays. Besides each side's p50/p99 it prints the median of the paired
 *       differences (wire − raw of the same iteration).
 * </ul>
 * Raw jnats gets the bytes pre-encoded; the wire encodes each message itself (part of its cost).
 * Every round uses fresh message ids (the dedupe window would otherwise swallow them) and starts
 * on a purged stream; throughput rounds alternate which side goes first. Prints ratios; asserts
 * nothing.
 *
 * <p>Settings as {@code key=value} arguments: {@code messages} (20000 per throughput run),
 * {@code window} (128), {@code rounds} (3), {@code samples} (3000 latency samples per round),
 * {@code tls} ({@code true}; {@code false} runs against a plaintext server, to compare TLS's cost).
 */
public final class WirePublishBenchmark {
    private static final String WIRE = "bench";
    private static final String SUBJECT = "fluxrig.wire." + WIRE;
    private static final String STREAM = "WIRE_bench";

    private WirePublishBenchmark() {
    }

    /** Messages of one run, and the same messages as raw bytes and headers. */
    private record Batch(List<FluxMsg> msgs, List<byte[]> data, List<Headers> headers) {
        static Batch of(int n) {
            FluxMsgCbor cbor = FluxMsgCbor.standard();
            List<FluxMsg> msgs = new ArrayList<>(n);
            List<byte[]> data = new ArrayList<>(n);
            List<Headers> headers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                FluxMsg m = FluxMsg.builder().src("bench").data("mti", "0200").data("pan", "4761739001010119")
                        .data("amount", new BigDecimal("125.50")).data("currency", "EUR").data("stan", (long) i)
                        .data("terminal", "TERM0001").data("merchant", "MERCHANT-000123").build();
                msgs.add(m);
                data.add(cbor.encode(m));
                Headers h = new Headers();
                h.put("Nats-Msg-Id", m.id() + "/0");
                h.put("Content-Type", "application/cbor; fluxmsg=1");
                headers.add(h);
            }
            return new Batch(msgs, data, headers);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = KeyValueArgs.parse(args, "WirePublishBenchmark: settings are key=value, not ");
        int messages = Integer.parseInt(a.getOrDefault("messages", "20000"));
        int window = Integer.parseInt(a.getOrDefault("window", "128"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        int samples = Integer.parseInt(a.getOrDefault("samples", "3000"));
        boolean tls = Boolean.parseBoolean(a.getOrDefault("tls", "true"));
        try (BenchNatsServer server = new BenchNatsServer(tls); Connection raw = Nats.connect(server.options().build())) {
            // The window is this benchmark's own (as the rack's outlet keeps one): the transport's
            // publish is one attempt, so it is only called once connected.
            JetStreamWireTransport wire = new JetStreamWireTransport(server.config(Map.of("connection_name", "bench-wire")));
            try {
                long connectBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!wire.connected() && System.nanoTime() < connectBy) {
                    Thread.sleep(10);
                }
                wire.publish(WIRE, Batch.of(1).msgs().get(0)).toCompletableFuture().get(30, TimeUnit.SECONDS); // provisions the stream
                JetStream js = raw.jetStream();
                System.out.printf("wire publish benchmark: nats-server %s (" + (tls ? "TLS" : "plaintext") + "), stream %s (file, R1), payload %d bytes CBOR + 2 headers,"
                        + " window %d, %d messages x %d rounds (throughput), %d sequential publishes per side x %d rounds (latency, sides alternating)%n",
                        raw.getServerInfo().getVersion(), STREAM, Batch.of(1).data().get(0).length, window, messages, rounds,
                        samples, rounds);
                System.out.println("load average at start: " + loadAverage());
                double[] rawRates = new double[rounds];
                double[] wireRates = new double[rounds];
                Latencies lat = new Latencies(samples * rounds);
                rate(js, null, Batch.of(messages / 4), window); // warm-up, both paths
                rate(null, wire, Batch.of(messages / 4), window);
                latency(js, wire, samples / 4, new Latencies(samples / 4), 0);
                for (int r = 0; r < rounds; r++) {
                    boolean rawFirst = r % 2 == 0;
                    for (int side = 0; side < 2; side++) {
                        boolean isRaw = (side == 0) == rawFirst;
                        raw.jetStreamManagement().purgeStream(STREAM);
                        double rate = rate(isRaw ? js : null, isRaw ? null : wire, Batch.of(messages), window);
                        (isRaw ? rawRates : wireRates)[r] = rate;
                    }
                    raw.jetStreamManagement().purgeStream(STREAM);
                    latency(js, wire, samples, lat, r * samples);
                }
                report(rawRates, wireRates, lat);
                System.out.println("load average at end: " + loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
                        + " cores)");
            } finally {
                wire.deactivate();
            }
        }
    }

    /** @return messages per second of one run; exactly one of js and wire is given */
    private static double rate(JetStream js, JetStreamWireTransport wire, Batch b, int window) throws Exception {
        Semaphore free = new Semaphore(window);
        AtomicInteger failed = new AtomicInteger();
        PublishOptions opts = PublishOptions.builder().expectedStream(STREAM).build();
        int n = b.msgs().size();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            free.acquire();
            CompletableFuture<?> f = js != null ? js.publishAsync(SUBJECT, b.headers().get(i), b.data().get(i), opts)
                    : wire.publish(WIRE, b.msgs().get(i)).toCompletableFuture();
            f.whenComplete((ok, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                }
                free.release();
            });
        }
        free.acquire(window);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " publishes failed");
        }
        return n / seconds;
    }

    /** Latency samples of the three sides, one entry per iteration each (nanoseconds). */
    private record Latencies(long[] raw, long[] rawEncode, long[] wire) {
        Latencies(int n) {
            this(new long[n], new long[n], new long[n]);
        }
    }

    /**
     * {@code n} iterations from index {@code from}; each publishes one message on every side, one at
     * a time, in an order that rotates with the iteration (raw, raw + encode, wire; then raw + encode,
     * wire, raw; ...). Each side has its own messages (fresh ids) of the same size.
     */
    private static void latency(JetStream js, JetStreamWireTransport wire, int n, Latencies into, int from) throws Exception {
        PublishOptions opts = PublishOptions.builder().expectedStream(STREAM).build();
        FluxMsgCbor cbor = FluxMsgCbor.standard();
        Batch raw = Batch.of(n);
        Batch rawEncode = Batch.of(n);
        Batch viaWire = Batch.of(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                int side = (i + k) % 3;
                long t0 = System.nanoTime();
                if (side == 0) {
                    js.publish(SUBJECT, raw.headers().get(i), raw.data().get(i), opts);
                    into.raw()[from + i] = System.nanoTime() - t0;
                } else if (side == 1) {
                    FluxMsg m = rawEncode.msgs().get(i);
                    Headers h = new Headers();
                    h.put("Nats-Msg-Id", m.id() + "/0");
                    h.put("Content-Type", "application/cbor; fluxmsg=1");
                    js.publish(SUBJECT, h, cbor.encode(m), opts);
                    into.rawEncode()[from + i] = System.nanoTime() - t0;
                } else {
                    wire.publish(WIRE, viaWire.msgs().get(i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    into.wire()[from + i] = System.nanoTime() - t0;
                }
            }
        }
    }

    private static void report(double[] rawRates, double[] wireRates, Latencies lat) {
        double raw = median(rawRates);
        double wire = median(wireRates);
        System.out.printf(Locale.ROOT, "throughput, msgs/s per round: raw publishAsync %s, wire publish %s%n", rounded(rawRates),
                rounded(wireRates));
        System.out.printf(Locale.ROOT, "  medians: raw %.0f msgs/s, wire %.0f msgs/s; wire / raw = %.2fx (goal >= 0.8x: %s)%n", raw,
                wire, wire / raw, wire / raw >= 0.8 ? "met" : "NOT met");
        long[] diff = new long[lat.wire().length];
        long[] diffEncode = new long[lat.wire().length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = lat.wire()[i] - lat.raw()[i];
            diffEncode[i] = lat.wire()[i] - lat.rawEncode()[i];
        }
        double rawP50 = percentile(lat.raw(), 0.5);
        double rawP99 = percentile(lat.raw(), 0.99);
        double encP50 = percentile(lat.rawEncode(), 0.5);
        double encP99 = percentile(lat.rawEncode(), 0.99);
        double wireP50 = percentile(lat.wire(), 0.5);
        double wireP99 = percentile(lat.wire(), 0.99);
        System.out.printf(Locale.ROOT, "latency, one publish at a time, sides alternating per iteration (us): raw js.publish p50 %.1f"
                + " p99 %.1f; raw + encode p50 %.1f p99 %.1f; wire publish p50 %.1f p99 %.1f%n", rawP50, rawP99, encP50, encP99,
                wireP50, wireP99);
        System.out.printf(Locale.ROOT, "  p50 overhead wire - raw = %.1f us (goal < 20 us: %s); p50 ratio %.2fx, p99 ratio %.2fx%n",
                wireP50 - rawP50, wireP50 - rawP50 < 20 ? "met" : "NOT met", wireP50 / rawP50, wireP99 / rawP99);
        System.out.printf(Locale.ROOT, "  median of paired differences (same iteration): wire - raw %.1f us, wire - (raw + encode)"
                + " %.1f us; wire / raw + encode p50 ratio %.2fx%n", percentile(diff, 0.5), percentile(diffEncode, 0.5),
                wireP50 / encP50);
    }

    /** @return the q-quantile of v in microseconds (nearest rank; v is left unchanged) */
    private static double percentile(long[] v, double q) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) (s.length * q))] / 1e3;
    }

    /** @return the 1, 5 and 15 minute load averages (Linux), or "unknown": the numbers mean little on a loaded machine */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String rounded(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }
}
