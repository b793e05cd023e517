package io.fluxrig.bench.fault;

import io.fluxrig.cli.iso.Requests;
import io.fluxrig.cli.iso.SendFleet;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The terminals of a fault run: like {@code iso send} ({@link SendFleet}: one TCP connection per
 * terminal, paced to its share of the rate, one request outstanding, 5 s timeout), but a terminal
 * whose connection breaks (its edge rack was killed) connects again, as a POS terminal does, and
 * every request's fate is kept for the {@link FaultChecker}: never sent (it fell due while the
 * terminal had no connection, or its write failed), answered, timed out and maybe answered late,
 * or cut (written, then its connection closed before an answer: the edge holding it died).
 *
 * <p>Requests are numbered from {@code firstSeq} per terminal (STAN = seq mod 999,999 + 1, RRN = the
 * terminal's number and seq), so the runner gives each load its own numbers and the issuer's count
 * of decisions per terminal, STAN and RRN tells one load's requests from another's.
 *
 * <p>Threads: per terminal a sender and, per connection, a reader; the caller's thread reaps
 * timeouts. A terminal's requests change state under the terminal's lock, so a request is answered,
 * timed out, cut or not sent exactly once, and its window slot is given back exactly once. The fleet
 * owns its sockets and threads and ends them before {@link #run} returns.
 */
final class TerminalFleet {
    /**
     * @param ports the edges' ISO 8583 ports; terminal i connects to {@code ports[i % n]}
     * @param count requests in all
     * @param connections terminals
     * @param rate requests per second in all (0: as fast as each terminal's one outstanding request allows)
     * @param timeoutMs the terminal's timeout
     * @param firstSeq each terminal's first request number
     */
    record Options(List<Integer> ports, long count, int connections, double rate, long timeoutMs, long firstSeq) {
    }

    /** A request's fate as the terminal saw it. */
    enum Fate {
        /** Due while the terminal had no connection, or its write failed: the edge never had it. */
        NOT_SENT,
        /** Answered within the timeout, with its own fields. */
        ANSWERED,
        /** Answered within the timeout, but with another request's terminal or RRN, or not as a 0210. */
        MISMATCHED,
        /** No answer within the timeout, none later. */
        TIMED_OUT,
        /** No answer within the timeout, one later. */
        LATE,
        /** Written, then its connection closed before an answer came: it can no longer be answered. */
        CUT
    }

    /**
     * One request's end.
     *
     * @param key terminal|stan|rrn (as the issuer keys its decisions)
     * @param fate what happened to it
     * @param code field 39 of its answer, or null
     * @param answers answers with its own STAN and RRN that reached the terminal (more than 1: duplicated)
     */
    record Request(String key, Fate fate, String code, int answers) {
    }

    /**
     * @param requests every request due, in no particular order
     * @param strayFrames frames that paired with no request (undecodable, or an unknown STAN)
     * @param reconnects connections made again after one broke
     * @param seconds how long the load took
     */
    record Outcome(List<Request> requests, long strayFrames, long reconnects, double seconds) {
    }

    private final Options o;
    private final Framing framing = Framing.BINARY2;
    private final IsoCodec codec;
    private final AtomicLong stray = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    TerminalFleet(Options options, IsoCodec codec) {
        this.o = options;
        this.codec = codec;
    }

    /** A request on its way (mutable; guarded by its terminal's lock). */
    private static final class Live {
        final String stan;
        final String rrn;
        final String key;
        Fate fate;
        String code;
        int answers;
        long sentNanos;
        Conn conn;
        boolean pending;

        Live(String stan, String rrn, String key) {
            this.stan = stan;
            this.rrn = rrn;
            this.key = key;
        }
    }

    /** One TCP connection of a terminal; dead once its reader ended or a write failed. */
    private static final class Conn {
        final Socket socket;
        final OutputStream out;
        volatile boolean dead;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void close() {
            dead = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing to keep
            }
        }
    }

    private final class Terminal {
        final int index;
        final String tid;
        final long share;
        final int port;
        final Random random;
        final Semaphore window = new Semaphore(1);
        final List<Live> all = new ArrayList<>();
        /** STAN -> the request waiting for it. */
        final Map<String, Live> pending = new HashMap<>();
        /** STAN -> a request that timed out (an answer is then late) or was answered (a second answer is a duplicate). */
        final Map<String, Live> done = new HashMap<>();
        final List<Conn> conns = new ArrayList<>();
        Conn conn;
        long lastAttempt;

        Terminal(int index, long share) {
            this.index = index;
            this.tid = String.format(Locale.ROOT, "T%07d", index + 1);
            this.share = share;
            this.port = o.ports().get(index % o.ports().size());
            this.random = SendFleet.terminalRandom(index);
        }

        /** @return a live connection, or null when the edge does not take one now (tried at most every 200 ms) */
        Conn connection() throws InterruptedException {
            Conn c = conn;
            if (c != null && !c.dead) {
                return c;
            }
            long wait = lastAttempt + 200_000_000L - System.nanoTime();
            if (lastAttempt != 0 && wait > 0) {
                if (o.rate() > 0) {
                    return null; // a paced terminal tries again at its next request
                }
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            lastAttempt = System.nanoTime();
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setTcpNoDelay(true);
                Conn fresh = new Conn(s);
                synchronized (this) {
                    if (c != null) {
                        reconnects.incrementAndGet();
                    }
                    conn = fresh;
                    conns.add(fresh);
                }
                start(() -> read(fresh), "fault-terminal-read-" + tid);
                return fresh;
            } catch (IOException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // never connected
                }
                return null;
            }
        }

        void send(long startNanos) {
            double spacing = o.rate() > 0 ? 1e9 * o.connections() / o.rate() : 0;
            try {
                for (long k = 0; k < share; k++) {
                    if (o.rate() > 0) {
                        long intended = startNanos + (long) (k * spacing + index * spacing / o.connections());
                        for (long now; (now = System.nanoTime()) < intended; ) {
                            LockSupport.parkNanos(intended - now);
                        }
                    }
                    window.acquire();
                    long seq = o.firstSeq() + k;
                    String stan = String.format(Locale.ROOT, "%06d", seq % 999_999 + 1);
                    String rrn = String.format(Locale.ROOT, "%04d%08d", index % 10_000, seq % 100_000_000);
                    Live r = new Live(stan, rrn, tid + "|" + stan + "|" + rrn);
                    byte[] frame = framing.frame(new byte[0], codec.encode(Requests.purchase(stan, rrn, tid, random)));
                    Conn c = connection();
                    synchronized (this) {
                        all.add(r);
                        if (c == null) {
                            r.fate = Fate.NOT_SENT;
                            window.release();
                            continue;
                        }
                        r.conn = c;
                        r.pending = true;
                        r.sentNanos = System.nanoTime();
                        pending.put(stan, r);
                    }
                    try {
                        c.out.write(frame);
                    } catch (IOException e) {
                        c.close();
                        synchronized (this) {
                            if (r.pending) {
                                r.pending = false;
                                pending.remove(stan);
                                window.release();
                            }
                            r.fate = Fate.NOT_SENT; // even if its reader cut it first: it was never written whole
                        }
                    }
                }
            } catch (IsoException | InterruptedException e) {
                System.err.println("fault: terminal " + tid + " stopped sending: " + e.getMessage());
            }
        }

        /** Reads one connection's answers until it closes; then every request still waiting on it is cut. */
        void read(Conn c) {
            try {
                InputStream in = new BufferedInputStream(c.socket.getInputStream(), 16 * 1024);
                for (byte[] frame; (frame = framing.read(in, 0, framing.maxLength())) != null; ) {
                    IsoMessage m;
                    try {
                        m = codec.decode(frame);
                    } catch (IsoException e) {
                        stray.incrementAndGet();
                        continue;
                    }
                    answer(m);
                }
            } catch (IOException e) {
                // closed: the edge died, or the run ended
            } finally {
                c.dead = true;
                synchronized (this) {
                    for (java.util.Iterator<Live> it = pending.values().iterator(); it.hasNext(); ) {
                        Live r = it.next();
                        if (r.conn == c) {
                            it.remove();
                            r.pending = false;
                            r.fate = Fate.CUT;
                            window.release();
                        }
                    }
                }
            }
        }

        synchronized void answer(IsoMessage m) {
            String stan = String.valueOf(m.get(11));
            String code = String.valueOf(m.get(39));
            Live r = pending.remove(stan);
            if (r == null) {
                Live d = done.get(stan);
                if (d != null && d.rrn.equals(m.get(37))) {
                    d.answers++;
                    if (d.fate == Fate.TIMED_OUT) {
                        d.fate = Fate.LATE;
                        d.code = code;
                    }
                } else {
                    stray.incrementAndGet();
                }
                return;
            }
            r.pending = false;
            window.release();
            r.answers++;
            r.code = code;
            r.fate = "0210".equals(m.mti()) && tid.equals(m.get(41)) && r.rrn.equals(m.get(37)) ? Fate.ANSWERED : Fate.MISMATCHED;
            done.put(stan, r);
        }

        synchronized void reap(long now) {
            for (java.util.Iterator<Live> it = pending.values().iterator(); it.hasNext(); ) {
                Live r = it.next();
                if (now - r.sentNanos > o.timeoutMs() * 1_000_000L) {
                    it.remove();
                    r.pending = false;
                    r.fate = Fate.TIMED_OUT;
                    done.put(r.stan, r);
                    window.release();
                }
            }
        }

        synchronized boolean waiting() {
            return !pending.isEmpty();
        }

        synchronized void close() {
            conns.forEach(Conn::close);
        }
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Sends the load and waits until every request is answered, timed out, cut or not sent; an
     * answer that comes after the load ended is not waited for (a late answer is counted only while
     * the load runs).
     */
    Outcome run() throws InterruptedException {
        Terminal[] fleet = new Terminal[o.connections()];
        for (int i = 0; i < fleet.length; i++) {
            fleet[i] = new Terminal(i, SendFleet.share(o.count(), o.connections(), i));
        }
        long start = System.nanoTime();
        Thread[] senders = new Thread[fleet.length];
        try {
            for (int i = 0; i < fleet.length; i++) {
                Terminal t = fleet[i];
                senders[i] = start(() -> t.send(start), "fault-terminal-" + t.tid);
            }
            while (java.util.Arrays.stream(senders).anyMatch(Thread::isAlive) || java.util.Arrays.stream(fleet).anyMatch(Terminal::waiting)) {
                long now = System.nanoTime();
                for (Terminal t : fleet) {
                    t.reap(now);
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } finally {
            for (Terminal t : fleet) {
                t.close();
            }
        }
        List<Request> out = new ArrayList<>();
        for (Terminal t : fleet) {
            synchronized (t) {
                for (Live r : t.all) {
                    out.add(new Request(r.key, r.fate, r.code, r.answers));
                }
            }
        }
        return new Outcome(List.copyOf(out), stray.get(), reconnects.get(), (System.nanoTime() - start) / 1e9);
    }
}
