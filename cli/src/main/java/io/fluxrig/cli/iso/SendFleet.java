package io.fluxrig.cli.iso;

import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@code iso send} run: a fleet of terminals, one TCP connection each, each with a sender
 * thread (paced to its share of {@code --rate}, or as fast as its in-flight window allows) and a
 * reader thread that pairs responses with requests by STAN and checks MTI, terminal and RRN. A
 * reaper thread times out requests. Latency is measured from the intended send time when a rate
 * is set (so a stalled server is not hidden: coordinated omission corrected), else from the
 * actual send. Every sample is kept, so percentiles are exact. All shared state is concurrent
 * or atomic; the run owns its sockets and threads and ends them before {@link #run} returns.
 */
public final class SendFleet {
    /** The options of a run. */
    public record Options(String host, int port, Framing framing, IsoCodec codec, long count, int connections, double rate, long timeoutMs,
            int window) {
    }

    /**
     * The outcome.
     *
     * @param duplicated responses to a request already answered (same terminal, STAN and RRN): a
     *     terminal must get one answer per request; not counted in {@code mismatched}
     */
    public record Result(long sent, long answered, Map<String, Long> byCode, long timedOut, long mismatched, long late, long duplicated,
            long[] latencyNanos, double seconds) {
        public long lost() {
            return sent - answered - timedOut;
        }
    }

    private record Sent(long intendedNanos, long sentNanos, String rrn) {
    }

    private final Options o;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong mismatched = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final Map<String, AtomicLong> byCode = new ConcurrentHashMap<>();
    private final long[] latencies;
    private final AtomicLong latencyCount = new AtomicLong();

    public SendFleet(Options options) {
        this.o = options;
        this.latencies = new long[(int) options.count()];
    }

    /**
     * @param index the terminal's index (0 for T0000001)
     * @return the generator of that terminal's requests ({@link Requests#purchase}): seeded by its
     *         number, so a run is repeatable and a test can know every card and amount in advance
     */
    public static Random terminalRandom(int index) {
        return new Random(8583L * (index + 1));
    }

    /** @return how many of {@code count} requests terminal {@code index} of {@code connections} sends */
    public static long share(long count, int connections, int index) {
        return count / connections + (index < count % connections ? 1 : 0);
    }

    /** @return requests sent so far (read by a progress line on another thread) */
    public long sentSoFar() {
        return sent.get();
    }

    /** @return responses paired so far (read by a progress line on another thread) */
    public long answeredSoFar() {
        return answered.get();
    }

    /** One terminal. */
    private final class Terminal {
        final int index;
        final String tid;
        final long share;
        final Socket socket = new Socket();
        final Semaphore window = new Semaphore(o.window());
        final Map<String, Sent> pending = new ConcurrentHashMap<>();
        final Map<String, Boolean> expired = new ConcurrentHashMap<>();
        /** STAN -> RRN of the requests answered; the reader thread's own (a second answer is a duplicate). */
        final Map<String, String> answeredRrn = new java.util.HashMap<>();
        final Random random;

        Terminal(int index, long share) {
            this.index = index;
            this.tid = String.format("T%07d", index + 1);
            this.share = share;
            this.random = terminalRandom(index);
        }

        void send(long startNanos) {
            double spacing = o.rate() > 0 ? 1e9 * o.connections() / o.rate() : 0;
            try {
                OutputStream out = socket.getOutputStream();
                for (long k = 0; k < share; k++) {
                    long intended = System.nanoTime();
                    if (o.rate() > 0) {
                        intended = startNanos + (long) (k * spacing + index * spacing / o.connections());
                        for (long now; (now = System.nanoTime()) < intended; ) {
                            LockSupport.parkNanos(intended - now);
                        }
                    }
                    window.acquire();
                    String stan = Requests.digits(k % 999_999 + 1, 6);
                    String rrn = Requests.digits(index % 10_000, 4) + Requests.digits(k % 100_000_000, 8);
                    byte[] bytes = o.codec().encode(Requests.purchase(stan, rrn, tid, random));
                    pending.put(stan, new Sent(intended, System.nanoTime(), rrn));
                    out.write(o.framing().frame(new byte[0], bytes));
                    sent.incrementAndGet();
                }
            } catch (IOException | IsoException | InterruptedException e) {
                System.err.println("iso send: terminal " + tid + " stopped sending: " + e.getMessage());
            }
        }

        void read() {
            try {
                // Buffered: unbuffered, every frame cost three reads (1-byte prefix start, the rest of the prefix, the body).
                InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                for (byte[] frame; (frame = o.framing().read(in, 0, o.framing().maxLength())) != null; ) {
                    long now = System.nanoTime();
                    IsoMessage r;
                    try {
                        r = o.codec().decode(frame);
                    } catch (IsoException e) {
                        mismatched.incrementAndGet();
                        continue;
                    }
                    String stan = String.valueOf(r.get(11));
                    Sent s = pending.remove(stan);
                    if (s == null) {
                        if (expired.remove(stan) != null) {
                            late.incrementAndGet();
                        } else if (r.get(37) != null && r.get(37).equals(answeredRrn.get(stan))) {
                            duplicated.incrementAndGet();
                        } else {
                            mismatched.incrementAndGet();
                        }
                        continue;
                    }
                    window.release();
                    if (!"0210".equals(r.mti()) || !tid.equals(r.get(41)) || !s.rrn().equals(r.get(37))) {
                        mismatched.incrementAndGet();
                        continue;
                    }
                    answered.incrementAndGet();
                    answeredRrn.put(stan, s.rrn());
                    byCode.computeIfAbsent(String.valueOf(r.get(39)), c -> new AtomicLong()).incrementAndGet();
                    long i = latencyCount.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[(int) i] = now - (o.rate() > 0 ? s.intendedNanos() : s.sentNanos());
                    }
                }
            } catch (IOException e) {
                // the run closes the sockets when it ends; anything still pending is counted by the reaper or as lost
            }
        }

        void reap(long now) {
            for (Map.Entry<String, Sent> e : pending.entrySet()) {
                if (now - e.getValue().sentNanos() > o.timeoutMs() * 1_000_000L && pending.remove(e.getKey(), e.getValue())) {
                    expired.put(e.getKey(), Boolean.TRUE);
                    timedOut.incrementAndGet();
                    window.release();
                }
            }
        }
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * @return the outcome
     * @throws IOException when a terminal cannot connect
     * @throws InterruptedException when interrupted
     */
    public Result run() throws IOException, InterruptedException {
        Terminal[] fleet = new Terminal[o.connections()];
        try {
            for (int i = 0; i < fleet.length; i++) {
                fleet[i] = new Terminal(i, share(o.count(), o.connections(), i));
                fleet[i].socket.connect(new InetSocketAddress(o.host(), o.port()), 5000);
                fleet[i].socket.setTcpNoDelay(true);
            }
            Thread[] senders = new Thread[fleet.length];
            Thread[] readers = new Thread[fleet.length];
            long start = System.nanoTime();
            for (int i = 0; i < fleet.length; i++) {
                Terminal t = fleet[i];
                readers[i] = start(t::read, "iso-send-read-" + t.tid);
                senders[i] = start(() -> t.send(start), "iso-send-" + t.tid);
            }
            // This thread is the reaper: it runs until every sender is done and nothing is pending.
            while (Arrays.stream(senders).anyMatch(Thread::isAlive) || Arrays.stream(fleet).anyMatch(t -> !t.pending.isEmpty())) {
                long now = System.nanoTime();
                for (Terminal t : fleet) {
                    t.reap(now);
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Long> codes = new TreeMap<>();
            byCode.forEach((k, v) -> codes.put(k, v.get()));
            long[] lat = Arrays.copyOf(latencies, (int) Math.min(latencies.length, latencyCount.get()));
            Arrays.sort(lat);
            return new Result(sent.get(), answered.get(), codes, timedOut.get(), mismatched.get(), late.get(), duplicated.get(), lat, seconds);
        } finally {
            for (Terminal t : fleet) {
                if (t != null) {
                    t.socket.close();
                }
            }
        }
    }
}
