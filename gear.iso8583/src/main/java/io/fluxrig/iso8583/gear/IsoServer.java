package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import io.fluxrig.msg.FluxMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of one {@code iso8583.server} binding (one {@link Gear#open} to
 * {@link Gear#close}): an accept thread plus one thread per connection, at most
 * {@code max.connections}. Connections are found by id in {@code connections}, a concurrent map,
 * so responses can be written from any thread. Counters are atomics, read without locking.
 *
 * <p><b>Hand-over.</b> {@link #handOver} stops the accept thread and every reader at a frame
 * boundary without closing anything (the accept and idle waits wake every {@value #STOP_CHECK_MS}
 * ms to look; a blocked socket read cannot be woken without closing the socket), and returns the
 * listener and the open connections for the next instance, which passes them to
 * {@link #IsoServer(ServerSettings, GearContext, Supplier, ParkedServer)}. While nobody reads,
 * peers' bytes wait in the kernel's socket buffers and new connections in the listen backlog.
 *
 * <p><b>Why the waits poll.</b> An idle connection's reader wakes every {@value #STOP_CHECK_MS} ms
 * (one timed-out read) because no wake-up leaves the socket usable for the next owner: interrupting
 * a thread blocked in a {@code SocketChannel} read closes the channel (the
 * {@code InterruptibleChannel} contract); {@code shutdownInput} ends the read but is final for the
 * socket, so the next instance could read nothing more; closing is what a hand-over must not do. The one non-destructive wake-up is a
 * {@code Selector} ({@code wakeup()}), which needs every connection as a non-blocking channel with
 * its own selector, writes that loop on {@code OP_WRITE} from any thread, and a parked state of
 * channels instead of sockets, which the revisions already running (they park and claim plain
 * {@link Socket}s, which have no channel) could neither hand over nor take over. The cost kept
 * instead: about ten timed-out reads a second per idle connection, and a hand-over that reaches
 * an idle reader within {@value #STOP_CHECK_MS} ms.
 */
final class IsoServer {
    private static final Logger LOG = LoggerFactory.getLogger(IsoServer.class);
    private static final int RECENT = 32;
    /** How often the accept and idle waits look whether a hand-over asks them to stop (milliseconds). */
    static final long STOP_CHECK_MS = 100;
    /** The longest wait for the threads to reach a frame boundary at a hand-over; connections not there by then are closed. */
    private static final long HANDOVER_WAIT_MS = 10_000;

    private final ServerSettings settings;
    private final GearContext context;
    private final Supplier<String> nextConnection;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Map<String, ServerConnection> connections = new ConcurrentHashMap<>();
    private final List<Thread> readers = new ArrayList<>();
    private final Deque<String> recentCloses = new ArrayDeque<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedPerAddress = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicLongArray failures =
            new java.util.concurrent.atomic.AtomicLongArray(FramingErrors.Kind.values().length);
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong declined = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean handingOver;

    /**
     * Binds the port (fast, never blocks on a peer) and starts the accept thread.
     *
     * @param settings the instance settings
     * @param context where requests are emitted
     * @param nextConnection names connections (the part after {@code <instance>/}); owned by the gear so ids stay
     *        unique across re-opens and across components
     * @throws IOException when the port cannot be bound
     */
    IsoServer(ServerSettings settings, GearContext context, Supplier<String> nextConnection) throws IOException {
        this(settings, context, nextConnection, null);
    }

    /**
     * Goes on with a listener and connections an earlier instance handed over, or, without them,
     * binds the port; starts the accept thread and a reader per handed-over connection.
     *
     * @param settings the instance settings
     * @param context where requests are emitted
     * @param nextConnection names new connections (the part after {@code <instance>/})
     * @param parked what the earlier instance of this gear handed over, or null
     * @throws IOException when the port cannot be bound
     */
    IsoServer(ServerSettings settings, GearContext context, Supplier<String> nextConnection, ParkedServer parked) throws IOException {
        this.settings = settings;
        this.context = context;
        this.nextConnection = nextConnection;
        if (parked != null) {
            this.listener = parked.listener();
        } else {
            this.listener = new ServerSocket();
            listener.setReuseAddress(true);
            try {
                listener.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 256);
            } catch (IOException e) {
                listener.close();
                throw e;
            }
        }
        listener.setSoTimeout((int) STOP_CHECK_MS);
        if (parked != null) {
            for (ParkedServer.Connection p : parked.connections()) {
                try {
                    start(new ServerConnection(this, p.id(), p.socket(), p.pending(), p.header(), p.unanswered()));
                } catch (IOException e) {
                    LOG.warn("iso8583.server {}: handed-over connection {} could not be taken over: {}", context.instance(), p.id(), e.toString());
                    closeQuietly(p.socket());
                }
            }
            LOG.info("iso8583.server {}: took over the listener on {} and {} open connection(s)", context.instance(),
                    listener.getLocalSocketAddress(), connections.size());
        }
        this.acceptor = new Thread(this::acceptLoop, "iso8583.server-" + context.instance() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("iso8583.server {}: listening on {} ({}, header {} bytes, max {} connections, {} per address)", context.instance(),
                listener.getLocalSocketAddress(), settings.framing().id(), settings.headerBytes(), settings.maxConnections(),
                settings.maxPerAddress() == 0 ? "no limit" : Integer.toString(settings.maxPerAddress()));
    }

    ServerSettings settings() {
        return settings;
    }

    String instance() {
        return context.instance();
    }

    int localPort() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!stopping && !handingOver) {
            Socket s;
            try {
                s = listener.accept();
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (!stopping && !handingOver) {
                    LOG.error("iso8583.server {}: accept failed, no new connections: {}", context.instance(), e.toString());
                }
                return;
            }
            String id = context.instance() + "/" + nextConnection.get();
            if (connections.size() >= settings.maxConnections()) {
                remember(id + " refused: max.connections " + settings.maxConnections() + " open");
                refused.incrementAndGet();
                LOG.warn("iso8583.server {}: connection {} from {} refused: max.connections {} open", context.instance(), id,
                        s.getRemoteSocketAddress(), settings.maxConnections());
                closeQuietly(s);
                continue;
            }
            int fromPeer = settings.maxPerAddress() == 0 ? 0 : fromAddress(s.getInetAddress());
            if (settings.maxPerAddress() > 0 && fromPeer >= settings.maxPerAddress()) {
                remember(id + " refused: max.connections.per.address " + settings.maxPerAddress() + " open from "
                        + s.getInetAddress().getHostAddress());
                refused.incrementAndGet();
                refusedPerAddress.incrementAndGet();
                LOG.warn("iso8583.server {}: connection {} from {} refused: max.connections.per.address {} open from that address",
                        context.instance(), id, s.getRemoteSocketAddress(), settings.maxPerAddress());
                closeQuietly(s);
                continue;
            }
            try {
                ServerConnection c = new ServerConnection(this, id, s);
                start(c);
                total.incrementAndGet();
                LOG.debug("iso8583.server {}: connection {} from {} open", context.instance(), id, c.remote());
            } catch (IOException e) {
                LOG.warn("iso8583.server {}: connection {} could not be set up: {}", context.instance(), id, e.toString());
                closeQuietly(s);
            }
        }
    }

    /** Registers a connection and starts its reader thread. */
    private void start(ServerConnection c) {
        connections.put(c.id(), c);
        Thread t = new Thread(c, "iso8583.server-" + c.id());
        t.setDaemon(true);
        synchronized (readers) {
            readers.removeIf(r -> !r.isAlive());
            readers.add(t);
        }
        t.start();
    }

    /** @return whether a hand-over asks the readers to stop at their next frame boundary */
    boolean handingOver() {
        return handingOver;
    }

    /** A connection gave its socket up for a hand-over. */
    void released(ServerConnection c) {
        connections.remove(c.id());
    }

    /**
     * Stops accepting and reading at frame boundaries and gives up the listener and the open
     * connections without closing them. A connection whose reader does not reach a frame boundary
     * within a bounded wait (a frame still arriving with no read limit, a downstream that blocks)
     * is closed, as at a stop. Called once, by the owning gear, after the rack stopped calling it.
     *
     * @return what the next instance goes on with
     */
    ParkedServer handOver() {
        handingOver = true;
        List<Thread> all = new ArrayList<>();
        all.add(acceptor);
        joinAll(all);
        synchronized (readers) {
            all.addAll(readers);
        }
        joinAll(all);
        List<ParkedServer.Connection> parked = new ArrayList<>();
        for (ServerConnection c : List.copyOf(connections.values())) {
            if (c.stoppedForHandover() && c.release()) {
                parked.add(new ParkedServer.Connection(c.id(), c.socket(), c.pending(), c.lastHeader(), c.unanswered()));
            } else {
                c.close("server closing: not at a frame boundary for the hand-over", false);
            }
        }
        stopping = true;
        LOG.info("iso8583.server {}: handing over the listener on {} and {} open connection(s) ({})", context.instance(),
                listener.getLocalSocketAddress(), parked.size(), counters());
        return new ParkedServer(listener, parked);
    }

    /** Waits for the threads to end, at most {@value #HANDOVER_WAIT_MS} ms in all. */
    private static void joinAll(List<Thread> threads) {
        long deadline = System.nanoTime() + HANDOVER_WAIT_MS * 1_000_000L;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the open connections from this peer address (a scan: at most max.connections of them, on the accept thread) */
    private int fromAddress(java.net.InetAddress peer) {
        int n = 0;
        for (ServerConnection c : connections.values()) {
            if (peer.equals(c.address())) {
                n++;
            }
        }
        return n;
    }

    /** Called on a connection's reader thread for each frame. */
    void emitRequest(ServerConnection c, FluxMsg msg) {
        framesIn.incrementAndGet();
        try {
            context.emit(Gear.PORT_OUT, msg);
        } catch (BackPressureException e) {
            rejected.incrementAndGet();
            BackPressureReply reply = settings.reject();
            if (reply == null) {
                // No dialect configured: the server cannot build a reply; the peer times out.
                LOG.warn("iso8583.server {}: request {} on connection {} not taken downstream (back-pressure), no response will be sent: {}",
                        context.instance(), msg.id(), c.id(), e.getMessage());
                return;
            }
            decline(c, msg, reply, e);
        } catch (IllegalStateException e) {
            rejected.incrementAndGet();
            LOG.warn("iso8583.server {}: request on connection {} dropped, gear closing: {}", context.instance(), c.id(), e.getMessage());
        }
    }

    /** Answers a refused request at once on its own connection (reader thread), or logs why it cannot. */
    private void decline(ServerConnection c, FluxMsg msg, BackPressureReply reply, BackPressureException cause) {
        byte[] response;
        try {
            response = reply.reply(msg.raw().toByteArray());
        } catch (io.fluxrig.iso8583.IsoException bad) {
            LOG.warn("iso8583.server {}: request {} on connection {} not taken downstream (back-pressure: {}) and not declined:"
                    + " not a {} request: {}", context.instance(), msg.id(), c.id(), cause.getMessage(), reply.dialect(), bad.getMessage());
            return;
        }
        try {
            c.write(null, response);
            c.answered();
            framesOut.incrementAndGet();
            declined.incrementAndGet();
            LOG.warn("iso8583.server {}: request {} on connection {} not taken downstream (back-pressure), declined at once: {}",
                    context.instance(), msg.id(), c.id(), cause.getMessage());
        } catch (IOException failed) {
            undeliverable("back-pressure decline of request " + msg.id() + " to connection " + c.id() + " not delivered: "
                    + failed.getMessage());
        }
    }

    /**
     * @param connId the connection id
     * @return the open connection, or null
     */
    ServerConnection connection(String connId) {
        return connId == null ? null : connections.get(connId);
    }

    void wrote() {
        framesOut.incrementAndGet();
    }

    void undeliverable(String why) {
        undeliverable.incrementAndGet();
        LOG.warn("iso8583.server {}: {}", context.instance(), why);
    }

    void closed(ServerConnection c, String reason, boolean failure) {
        if (failure) {
            remember(c.id() + " closed: " + reason);
            failed.incrementAndGet();
            failures.incrementAndGet(FramingErrors.of(reason).ordinal());
        }
        // Counted before it leaves the open set: whoever sees it gone sees it counted.
        connections.remove(c.id());
        if (failure) {
            LOG.warn("iso8583.server {}: connection {} from {} closed: {}", context.instance(), c.id(), c.remote(), reason);
        } else {
            LOG.debug("iso8583.server {}: connection {} from {} closed: {}", context.instance(), c.id(), c.remote(), reason);
        }
    }

    private void remember(String line) {
        synchronized (recentCloses) {
            if (recentCloses.size() == RECENT) {
                recentCloses.removeFirst();
            }
            recentCloses.addLast(line);
        }
    }

    /** @return the last few refused or failed connections with their reasons, oldest first */
    List<String> recentCloses() {
        synchronized (recentCloses) {
            return List.copyOf(recentCloses);
        }
    }

    /** @return connections refused because max.connections were open */
    long refusedMax() {
        return refused.get() - refusedPerAddress.get();
    }

    /** @return connections refused because max.connections.per.address were open from their address */
    long refusedPerAddress() {
        return refusedPerAddress.get();
    }

    /** @return connections closed on an error of this kind */
    long failures(FramingErrors.Kind kind) {
        return failures.get(kind.ordinal());
    }

    /** @return requests read on the open connections and not answered on them yet (a scan of the open connections) */
    long inFlight() {
        long n = 0;
        for (ServerConnection c : connections.values()) {
            n += c.unanswered();
        }
        return n;
    }

    ServerCounters counters() {
        return new ServerCounters(connections.size(), total.get(), refused.get(), failed.get(), framesIn.get(), framesOut.get(),
                rejected.get(), undeliverable.get(), declined.get());
    }

    /** Stops accepting, closes every connection and waits briefly for the threads to end. */
    void stop() {
        stopping = true;
        closeQuietly(listener);
        for (ServerConnection c : List.copyOf(connections.values())) {
            c.close("server closing", false);
        }
        List<Thread> all = new ArrayList<>();
        all.add(acceptor);
        synchronized (readers) {
            all.addAll(readers);
        }
        for (Thread t : all) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("iso8583.server {}: stopped ({})", context.instance(), counters());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
