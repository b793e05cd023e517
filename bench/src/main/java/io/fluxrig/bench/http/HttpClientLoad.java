package io.fluxrig.bench.http;

import io.fluxrig.bench.KeyValueArgs;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One HTTP client driving the issuer at a fixed rate, as {@code json.http} would: asynchronous
 * POSTs of the canonical JSON authorisation request, HTTP/1.1, the completion handed to a fixed
 * pool of completion threads (the gear's executor). A plain main, not JMH: the figure is the
 * process's CPU time per request (every thread: the client's, the completion pool, JIT and GC,
 * {@code OperatingSystemMXBean.getProcessCpuTime}) over the measured window, the load's own
 * pacing thread included (the same for every client), and the latency from the intended send
 * time (coordinated omission corrected).
 *
 * <pre>java -cp benchmarks.jar io.fluxrig.bench.http.HttpClientLoad client=jdk|jetty url=http://127.0.0.1:P/auth
 *      [rate=1000] [seconds=20] [warmup=10] [threads=4]</pre>
 *
 * Prints one line: {@code client=… rate=… sent=… ok=… failed=… unanswered=… cpu_us_per_req=… p50_ms=… p99_ms=… p999_ms=…}.
 * Threading: one pacing thread sends; completions run on the client's threads and the pool.
 */
public final class HttpClientLoad {
    /** The request the demo's edge makes of a typical 0200 (json.map iso-auth-request). */
    static final byte[] BODY = ("{\"message_type\":\"0200\",\"pan\":\"4111111111111111\",\"processing_code\":\"000000\","
            + "\"amount\":{\"value\":\"12.50\",\"currency\":\"EUR\"},\"stan\":\"000001\",\"rrn\":\"000000000001\","
            + "\"terminal\":\"TERM0001\",\"merchant\":\"MERCHANT0000001\",\"merchant_type\":\"5411\","
            + "\"pos_entry_mode\":\"051\",\"expiry\":\"2812\",\"transmitted_at\":\"2026-12-05T10:11:12Z\","
            + "\"local_time\":\"10:11:12\",\"local_date\":\"12-05\"}").getBytes(StandardCharsets.UTF_8);

    /** The client under test: sends one request, reports the status (or -1) on {@code done}. */
    interface Client extends AutoCloseable {
        void send(byte[] body, Done done);

        @Override
        void close() throws Exception;
    }

    /** Completion callback: the HTTP status, or -1 for a failure. */
    interface Done {
        void done(int status);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = KeyValueArgs.parse(args, "arguments are key=value: ");
        String kind = a.getOrDefault("client", "jdk");
        URI url = URI.create(a.getOrDefault("url", "http://127.0.0.1:8080/auth"));
        int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "4"));
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "load-completion-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (Client client = switch (kind) {
            case "jdk" -> new JdkClient(url, executor);
            case "jetty" -> new JettyClient(url, executor);
            default -> throw new IllegalArgumentException("client=jdk|jetty, not " + kind);
        }) {
            run(client, rate, warmup, null);
            Result r = new Result(rate * seconds);
            run(client, rate, seconds, r);
            System.out.printf("client=%s rate=%d sent=%d ok=%d failed=%d unanswered=%d cpu_us_per_req=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f%n",
                    kind, rate, r.count, r.ok.get(), r.failed.get(), r.unanswered, r.cpuNanos / 1e3 / Math.max(1, r.ok.get()),
                    r.percentile(0.50), r.percentile(0.99), r.percentile(0.999));
        } finally {
            executor.shutdownNow();
        }
    }

    /** Latencies and counts of one measured window. */
    static final class Result {
        final long[] latencies;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        int count;
        long cpuNanos;
        long unanswered;

        Result(int capacity) {
            latencies = new long[capacity];
        }

        double percentile(double p) {
            // Unanswered slots hold 0: the percentiles are over the answered requests.
            long[] sorted = Arrays.stream(latencies, 0, count).filter(l -> l > 0).toArray();
            Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
        }
    }

    private static void run(Client client, int rate, int seconds, Result result) throws InterruptedException {
        int total = rate * seconds;
        CountDownLatch answered = new CountDownLatch(total);
        long interval = 1_000_000_000L / rate;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            client.send(BODY, status -> {
                if (result != null) {
                    result.latencies[slot] = System.nanoTime() - intended;
                    (status / 100 == 2 ? result.ok : result.failed).incrementAndGet();
                }
                answered.countDown();
            });
        }
        // A client that falls behind is reported (unanswered), not waited for without end.
        boolean all = answered.await(60, TimeUnit.SECONDS);
        if (result != null) {
            result.cpuNanos = os.getProcessCpuTime() - cpu0;
            result.count = total;
            result.unanswered = all ? 0 : answered.getCount();
        }
    }
}
