import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one thread hand-off costs on this machine, by how often it happens: a producer thread puts
 * its {@code System.nanoTime()} on a {@link LinkedBlockingQueue} every {@code interval}, a consumer
 * thread blocked in {@code take()} records now minus that time. This is the hand-off every
 * executor queue in the demo makes (a pull loop to a worker, a gear to the outlet, the HTTP client
 * to the gear): when hand-offs are rare the consumer's thread has parked and its CPU has gone idle,
 * and the wake-up (a futex, and on a virtual machine the host waking the idle vCPU) is what the
 * message waits for. Each rate is measured twice: alone, and with a third thread spinning so one
 * CPU never idles (what a busier process gives for free).
 *
 * <p>Run in Java's source-file mode: {@code java bench/e2e/Wakeup.java [seconds per point]}
 * (default 5). Prints a Markdown table: per interval, p50/p99/max hand-off latency in µs. Measures,
 * asserts nothing. Threads: main (prints), one producer, one consumer, optionally one spinner.
 */
public class Wakeup {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        long[] intervalsUs = {10_000, 2_000, 1_000, 200, 50};
        System.out.println("| hand-offs per second | interval | alone p50 / p99 / max µs | one CPU kept busy p50 / p99 / max µs |");
        System.out.println("|---:|---:|---|---|");
        run(1_000, 1, false); // warm-up (JIT)
        for (long us : intervalsUs) {
            int n = (int) Math.max(50, seconds * 1_000_000 / us);
            String alone = run(us, n, false);
            String busy = run(us, n, true);
            System.out.printf(Locale.ROOT, "| %,d | %s | %s | %s |%n", 1_000_000 / us, us >= 1000 ? us / 1000 + " ms" : us + " µs", alone, busy);
        }
    }

    private static String run(long intervalUs, int count, boolean spin) throws InterruptedException {
        LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
        long[] latency = new long[count];
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner = new Thread(() -> {
            long x = 0;
            while (!stop.get()) {
                x += System.nanoTime() & 1;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "spinner");
        if (spin) {
            spinner.start();
        }
        Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    long sent = queue.take();
                    latency[i] = System.nanoTime() - sent;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consumer");
        consumer.start();
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            next += TimeUnit.MICROSECONDS.toNanos(intervalUs);
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                if (wait > 100_000) {
                    TimeUnit.NANOSECONDS.sleep(wait - 50_000); // sleep most of the interval, as an idle process does
                } else {
                    Thread.onSpinWait();
                }
            }
            queue.put(System.nanoTime());
        }
        consumer.join();
        stop.set(true);
        if (spin) {
            spinner.join();
        }
        Arrays.sort(latency);
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", latency[count / 2] / 1e3, latency[(int) (count * 0.99)] / 1e3,
                latency[count - 1] / 1e3);
    }
}
