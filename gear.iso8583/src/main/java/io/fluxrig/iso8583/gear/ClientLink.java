package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoFluxMapping;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.internal.FrameReader;
import io.fluxrig.msg.FluxMsg;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@code iso8583.client} binding. Threads: a connector thread that
 * connects, reads responses until the connection drops, fails what was waiting, backs off
 * (doubling from reconnect.min.ms to reconnect.max.ms) and connects again; and one scheduler
 * thread for response timeouts and echoes. {@link #send} runs on the caller's thread and writes
 * under {@code writeLock}. Responses are emitted on the connector thread, timeouts and losses on
 * the thread that notices them. A request is answered exactly once, by whoever removes it from
 * {@code pending} first.
 */
final class ClientLink {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLink.class);
    private static final DateTimeFormatter MMDDHHMMSS = DateTimeFormatter.ofPattern("MMddHHmmss");

    /** A request awaiting its response; {@code request} is null for an echo. */
    private static final class Pending {
        final FluxMsg request;
        final String mti;
        /** The request as sent: its match key is shown (masked) only when logged, off the hot path. */
        final IsoMessage iso;
        volatile ScheduledFuture<?> timeout;

        Pending(FluxMsg request, IsoMessage iso) {
            this.request = request;
            this.mti = iso.mti();
            this.iso = iso;
        }
    }

    private final ClientSettings s;
    private final GearContext context;
    private final IsoCodec codec;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Thread connector;
    private final Object writeLock = new Object();
    private final AtomicLong echoStan = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile String lastError = "not connected yet";
    private volatile boolean stopping;

    ClientLink(ClientSettings settings, GearContext context) {
        this.s = settings;
        this.context = context;
        this.codec = IsoCodec.of(settings.spec());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "iso8583.client-" + context.instance() + "-timer"));
        this.connector = daemon(this::connectLoop, "iso8583.client-" + context.instance() + "-connect");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        connector.start();
        if (s.echoIntervalMs() > 0) {
            timer.scheduleWithFixedDelay(this::echo, s.echoIntervalMs(), s.echoIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void connectLoop() {
        long delay = s.reconnectMinMs();
        while (!stopping) {
            Socket sock = new Socket();
            String reason;
            try {
                sock.connect(new InetSocketAddress(s.host(), s.port()), s.connectTimeoutMs());
                sock.setTcpNoDelay(true);
                synchronized (writeLock) {
                    socket = sock;
                    out = sock.getOutputStream();
                }
                connects.incrementAndGet();
                delay = s.reconnectMinMs();
                LOG.info("iso8583.client {}: connected to {}", context.instance(), s.address());
                reason = readLoop(sock);
            } catch (IOException e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            lastError = reason;
            disconnect(sock, reason);
            if (stopping) {
                return;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            delay = Math.min(delay * 2, s.reconnectMaxMs());
        }
    }

    /** @return why the connection ended */
    private String readLoop(Socket sock) throws IOException {
        FrameReader reader = new FrameReader(sock, s.framing(), s.header().length, s.maxFrameBytes(), 0, s.responseTimeoutMs());
        while (true) {
            byte[] frame = reader.next();
            if (frame == null) {
                return "host closed the connection";
            }
            byte[] bytes = Arrays.copyOfRange(frame, s.header().length, frame.length);
            IsoMessage iso;
            try {
                iso = codec.decode(bytes);
            } catch (IsoException e) {
                unmatched.incrementAndGet();
                LOG.warn("iso8583.client {}: undecodable response from {} dropped: {}", context.instance(), s.address(), e.getMessage());
                continue;
            }
            String key = MatchKey.of(iso, s.matchFields());
            Pending p = pending.remove(key);
            if (p == null) {
                unmatched.incrementAndGet();
                LOG.warn("iso8583.client {}: response {} matches no waiting request (late or unknown)", context.instance(),
                        MatchKey.shown(iso, s.matchFields()));
                continue;
            }
            cancel(p);
            if (p.request == null) {
                echoes.incrementAndGet();
                continue;
            }
            matched.incrementAndGet();
            FluxMsg response = IsoFluxMapping.toFlux(s.spec(), iso, p.request.derive()).raw(bytes).build();
            try {
                context.emit(Gear.PORT_OUT, response);
            } catch (RuntimeException e) {
                LOG.warn("iso8583.client {}: response {} to request {} not taken downstream: {}", context.instance(), shown(p), p.request.id(),
                        e.toString());
            }
        }
    }

    private void disconnect(Socket sock, String reason) {
        synchronized (writeLock) {
            if (socket == sock) {
                socket = null;
                out = null;
            }
        }
        try {
            sock.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        if (!stopping) {
            LOG.warn("iso8583.client {}: connection to {} down: {}", context.instance(), s.address(), reason);
        }
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                cancel(e.getValue());
                if (e.getValue().request != null) {
                    lost.incrementAndGet();
                    fail(e.getValue().request, "connection to " + s.address() + " lost before the " + e.getValue().mti + " response arrived: "
                            + reason);
                }
            }
        }
    }

    /**
     * Sends one request; its response or failure is emitted later.
     *
     * @param request decoded (data {@code mti} + fields), with or without its bytes in raw
     * @throws GearRejection when not connected, the key is already waiting, too many are in flight,
     *     or the request cannot be encoded or written
     */
    void send(FluxMsg request) throws GearRejection {
        IsoMessage iso;
        byte[] bytes;
        try {
            if (request.data().get(IsoFluxMapping.DATA_MTI) != null) {
                iso = IsoFluxMapping.fromFlux(s.spec(), request);
                bytes = request.raw() != null ? request.raw().toByteArray() : codec.encode(iso);
            } else if (request.raw() != null) {
                bytes = request.raw().toByteArray();
                iso = codec.decode(bytes);
            } else {
                throw new GearRejection(prefix() + "request has neither data 'mti' nor raw bytes");
            }
        } catch (IsoException e) {
            throw new GearRejection(prefix() + "request not sendable: " + e.getMessage(), e);
        }
        String key = MatchKey.of(iso, s.matchFields());
        if (pending.size() >= s.maxInflight()) {
            throw new GearRejection(prefix() + "max.inflight " + s.maxInflight() + " requests already await a response");
        }
        Pending p = new Pending(request, iso);
        if (pending.putIfAbsent(key, p) != null) {
            throw new GearRejection(prefix() + "a request with key " + shown(p) + " already awaits a response");
        }
        try {
            write(bytes);
        } catch (IOException e) {
            pending.remove(key, p);
            throw new GearRejection(prefix() + "not sent to " + s.address() + ": " + e.getMessage(), e);
        }
        sent.incrementAndGet();
        p.timeout = timer.schedule(() -> expire(key, p), s.responseTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    private void write(byte[] message) throws IOException {
        byte[] frame = s.framing().frame(s.header(), message);
        synchronized (writeLock) {
            OutputStream o = out;
            if (o == null) {
                throw new IOException("not connected (reconnecting; last error: " + lastError + ")");
            }
            try {
                o.write(frame);
            } catch (IOException e) {
                closeSocket();
                throw e;
            }
        }
    }

    private String shown(Pending p) {
        return MatchKey.shown(p.iso, s.matchFields());
    }

    private void expire(String key, Pending p) {
        if (!pending.remove(key, p)) {
            return;
        }
        if (p.request == null) {
            LOG.warn("iso8583.client {}: no 0810 to echo {} within {} ms, dropping the connection", context.instance(), shown(p),
                    s.responseTimeoutMs());
            closeSocket();
            return;
        }
        timedOut.incrementAndGet();
        fail(p.request, "no " + p.mti + " response from " + s.address() + " within response.timeout.ms " + s.responseTimeoutMs()
                + " ms (key " + shown(p) + ")");
    }

    private void fail(FluxMsg request, String reason) {
        try {
            context.reject(request.derive().build(), prefix() + reason);
        } catch (RuntimeException e) {
            LOG.warn("iso8583.client {}: failure of request {} not taken downstream ({}): {}", context.instance(), request.id(), e, reason);
        }
    }

    private void echo() {
        if (out == null) {
            return;
        }
        String stan = String.format("%06d", echoStan.incrementAndGet() % 1_000_000L);
        IsoMessage iso = new IsoMessage("0800", Map.of(7, ZonedDateTime.now(ZoneOffset.UTC).format(MMDDHHMMSS), 11, stan, 70, "301"));
        Pending p = new Pending(null, iso);
        String key = MatchKey.of(iso, s.matchFields());
        try {
            byte[] bytes = codec.encode(iso);
            pending.put(key, p);
            write(bytes);
            p.timeout = timer.schedule(() -> expire(key, p), s.responseTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (IsoException | IOException e) {
            pending.remove(key, p);
            LOG.warn("iso8583.client {}: echo not sent: {}", context.instance(), e.getMessage());
        }
    }

    private void closeSocket() {
        Socket sock = socket;
        if (sock != null) {
            try {
                sock.close();
            } catch (IOException ignored) {
                // the connector notices and reconnects
            }
        }
    }

    private static void cancel(Pending p) {
        ScheduledFuture<?> f = p.timeout;
        if (f != null) {
            f.cancel(false);
        }
    }

    private String prefix() {
        return "iso8583.client " + context.instance() + ": ";
    }

    ClientCounters counters() {
        return new ClientCounters(out != null, connects.get(), sent.get(), matched.get(), timedOut.get(), lost.get(), unmatched.get(),
                echoes.get());
    }

    /** Stops reconnecting, closes the connection, fails what was waiting, ends both threads. */
    void stop() {
        stopping = true;
        closeSocket();
        connector.interrupt();
        try {
            connector.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }
}
