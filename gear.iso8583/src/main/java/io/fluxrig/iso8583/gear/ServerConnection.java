package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.FramingException;
import io.fluxrig.iso8583.internal.FrameReader;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted connection of an {@link IsoServer}. Its own thread ({@link #run}) reads frames and
 * emits each one; because in-rack links are synchronous, that same thread usually carries the
 * request through the chain and back into {@link #write}. Writes can also come from any other
 * thread (an asynchronous downstream); they are serialised by {@code writeLock}, and a frame is
 * written with one {@code write} call so frames never interleave.
 *
 * <p>Ownership: the connection owns its socket; {@link #close} is idempotent and may be called
 * from any thread (the server on shutdown, a failed write, its own reader). At a hand-over the
 * reader stops at a frame boundary when {@link IsoServer#handingOver()} turns true, leaving the
 * bytes it read past that boundary in {@link #pending()}; {@link #release} then gives the open
 * socket up without closing it (later writes fail as on a closed connection), and the next gear
 * instance builds a new {@code ServerConnection} on the same socket, with the same id.
 */
final class ServerConnection implements Runnable {
    static final String META_CONN = "iso.conn";
    static final String META_HEADER = "iso.header";
    static final String META_REMOTE = "iso.remote";

    private final IsoServer server;
    private final String id;
    private final Socket socket;
    private final String remote;
    private final Object writeLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final OutputStream out;
    /** Requests read on this connection minus answers written to it (metrics: requests in flight). */
    private final java.util.concurrent.atomic.AtomicLong unanswered = new java.util.concurrent.atomic.AtomicLong();
    /** The last request's header, echoed when a response carries none. Written by the reader thread only. */
    private volatile byte[] lastHeader;
    /** Bytes read and not framed: from the previous owner at first, after a stop what the reader left. */
    private volatile byte[] pending;
    /** Set by the reader when it stopped at a frame boundary for a hand-over (then the socket is still open). */
    private volatile boolean stoppedForHandover;

    ServerConnection(IsoServer server, String id, Socket socket) throws IOException {
        this(server, id, socket, new byte[0], new byte[server.settings().headerBytes()], 0);
    }

    /**
     * A connection taken over from an earlier gear instance, or a new one.
     *
     * @param pending bytes the earlier reader read and did not frame
     * @param lastHeader the last request's header (echoed when a response carries none)
     * @param unanswered requests read and not answered yet
     */
    ServerConnection(IsoServer server, String id, Socket socket, byte[] pending, byte[] lastHeader, long unanswered) throws IOException {
        this.server = server;
        this.id = id;
        this.socket = socket;
        this.remote = String.valueOf(socket.getRemoteSocketAddress()).replaceFirst("^/", "");
        this.out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
        this.lastHeader = lastHeader.length == server.settings().headerBytes() ? lastHeader : new byte[server.settings().headerBytes()];
        this.pending = pending;
        this.unanswered.set(unanswered);
    }

    Socket socket() {
        return socket;
    }

    /** @return after a hand-over stop, the bytes read and not framed */
    byte[] pending() {
        return pending;
    }

    byte[] lastHeader() {
        return lastHeader;
    }

    /** @return whether the reader stopped at a frame boundary for a hand-over, the socket still open */
    boolean stoppedForHandover() {
        return stoppedForHandover;
    }

    /**
     * Gives the socket up without closing it, after its reader stopped for a hand-over: this object
     * writes nothing more, and the server forgets it (the next owner goes on with the same id).
     *
     * @return false when the connection was closed meanwhile (then there is nothing to hand over)
     */
    boolean release() {
        synchronized (writeLock) {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
        }
        server.released(this);
        return true;
    }

    String id() {
        return id;
    }

    String remote() {
        return remote;
    }

    /** @return the peer's address (for the per-address connection cap) */
    java.net.InetAddress address() {
        return socket.getInetAddress();
    }

    @Override
    public void run() {
        ServerSettings s = server.settings();
        String reason;
        try {
            FrameReader reader = new FrameReader(socket, s.framing(), s.headerBytes(), s.maxFrameBytes(), s.idleTimeoutMs(),
                    s.readTimeoutMs(), pending, server::handingOver, IsoServer.STOP_CHECK_MS);
            while (true) {
                byte[] frame = reader.next();
                if (frame == null && reader.stopped()) {
                    // A hand-over: the socket stays open, the next owner reads on from here.
                    pending = reader.pending();
                    stoppedForHandover = true;
                    return;
                }
                if (frame == null) {
                    reason = null;
                    break;
                }
                handle(frame, s.headerBytes());
            }
        } catch (FramingException e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = closed.get() ? null : "read failed: " + e.getMessage();
        }
        close(reason == null ? "peer closed" : reason, reason != null);
    }

    private void handle(byte[] frame, int headerBytes) {
        FluxMsg.Builder b = FluxMsg.builder().src(server.instance()).meta(META_CONN, id).meta(META_REMOTE, remote)
                .raw(Bytes.of(frame, headerBytes, frame.length - headerBytes));
        if (headerBytes > 0) {
            byte[] header = Arrays.copyOf(frame, headerBytes);
            lastHeader = header;
            b.meta(META_HEADER, HexFormat.of().withUpperCase().formatHex(header));
        }
        unanswered.incrementAndGet();
        server.emitRequest(this, b.build());
    }

    /** Counts one answer written to this connection (after {@link #write} succeeded). */
    void answered() {
        unanswered.decrementAndGet();
    }

    /** @return requests read and not answered yet on this connection (never below 0: an extra answer is not a credit) */
    long unanswered() {
        return Math.max(0, unanswered.get());
    }

    /**
     * Writes one response frame.
     *
     * @param header the header from the response's meta, or null to echo the last request's
     * @param message the message bytes
     * @throws IOException when the connection is closed or the write fails (the connection is then closed)
     */
    void write(byte[] header, byte[] message) throws IOException {
        byte[] frame = server.settings().framing().frame(header != null ? header : lastHeader, message);
        synchronized (writeLock) {
            if (closed.get()) {
                throw new IOException("connection " + id + " is closed");
            }
            try {
                out.write(frame);
            } catch (IOException e) {
                close("write failed: " + e.getMessage(), true);
                throw e;
            }
        }
    }

    /**
     * Closes the socket once and tells the server.
     *
     * @param reason why, for the log
     * @param failure whether it is an error (counted) rather than a normal close
     */
    void close(String reason, boolean failure) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with this socket
        }
        server.closed(this, reason, failure);
    }
}
