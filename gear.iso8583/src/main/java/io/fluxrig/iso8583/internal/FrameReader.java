package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.FramingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Reads frames from one socket with two clocks: an idle limit while waiting for the first byte of
 * a frame, and a read limit for the whole frame once it has started, so a sender that trickles
 * one byte at a time cannot hold the connection (a per-read socket timeout alone would never fire).
 *
 * <p><b>Stopping at a frame boundary.</b> With a stop signal, {@link #next} checks it before each
 * frame, and while it waits for a frame to start it wakes every {@code checkMs} to look (a blocked
 * socket read cannot be woken without closing the socket). Once the signal is up it returns null
 * at the next frame boundary and {@link #stopped()} is true; the bytes read from the socket but
 * not framed yet (the start of the next frames) are in {@link #pending()}, for whoever reads the
 * socket next. A frame that has started is read to its end first (bounded by the read limit).
 *
 * <p>Owned by the one thread that reads the socket; not thread-safe. It does not close the socket.
 */
public final class FrameReader {
    private static final BooleanSupplier NEVER = () -> false;

    private final Socket socket;
    private final InputStream in;
    private final Framing framing;
    private final int headerBytes;
    private final int maxFrameBytes;
    private final long idleMs;
    private final long readMs;
    private final BooleanSupplier stop;
    private final long checkMs;
    /** Bytes read from the socket, not framed yet: buf[pos, lim). */
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean stopped;

    /**
     * A reader that is never stopped (it reads until the peer closes or a limit is hit).
     *
     * @param socket the connected socket
     * @param framing the length prefix
     * @param headerBytes the fixed header size
     * @param maxFrameBytes the largest length accepted
     * @param idleMs the longest wait for a frame to start; 0 = no limit
     * @param readMs the longest time from a frame's first byte to its last; 0 = no limit
     * @throws IOException when the socket's stream cannot be opened
     */
    public FrameReader(Socket socket, Framing framing, int headerBytes, int maxFrameBytes, long idleMs, long readMs) throws IOException {
        this(socket, framing, headerBytes, maxFrameBytes, idleMs, readMs, new byte[0], NEVER, 0);
    }

    /**
     * A reader that goes on from bytes an earlier reader of the same socket left, and stops at a
     * frame boundary when asked.
     *
     * @param socket the connected socket
     * @param framing the length prefix
     * @param headerBytes the fixed header size
     * @param maxFrameBytes the largest length accepted
     * @param idleMs the longest wait for a frame to start; 0 = no limit
     * @param readMs the longest time from a frame's first byte to its last; 0 = no limit
     * @param pending bytes already read from the socket and not framed (an earlier reader's {@link #pending()})
     * @param stop read between frames; true asks {@link #next} to return null at the next frame boundary
     * @param checkMs how often a wait for the next frame looks at {@code stop} (milliseconds, above 0)
     * @throws IOException when the socket's stream cannot be opened
     */
    public FrameReader(Socket socket, Framing framing, int headerBytes, int maxFrameBytes, long idleMs, long readMs, byte[] pending,
            BooleanSupplier stop, long checkMs) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.framing = framing;
        this.headerBytes = headerBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.idleMs = idleMs;
        this.readMs = readMs;
        this.stop = stop;
        this.checkMs = checkMs;
        this.buf = Arrays.copyOf(pending, Math.max(16 * 1024, pending.length));
        this.lim = pending.length;
    }

    /**
     * @return header + message of the next frame, or null when the peer closed cleanly between
     *         frames or, with {@link #stopped()} true, when the stop signal was seen at a frame boundary
     * @throws FramingException for a bad prefix or length, an idle or a read timeout
     * @throws IOException when the socket fails or closes inside a frame
     */
    public byte[] next() throws IOException {
        if (stop.getAsBoolean()) {
            stopped = true;
            return null;
        }
        if (pos == lim && !awaitFrame()) {
            return null;
        }
        long deadline = readMs == 0 ? Long.MAX_VALUE : System.nanoTime() + readMs * 1_000_000L;
        byte[] prefix = new byte[framing.prefixBytes()];
        take(prefix, deadline, "length prefix");
        int length = framing.parseLength(prefix, 0);
        Framing.checkLength(length, headerBytes, maxFrameBytes);
        byte[] frame = new byte[length];
        take(frame, deadline, "frame of " + length + " bytes");
        return frame;
    }

    /** @return whether {@link #next} returned null because it was asked to stop */
    public boolean stopped() {
        return stopped;
    }

    /** @return a copy of the bytes read from the socket and not framed (after a stop: the start of the next frames) */
    public byte[] pending() {
        return Arrays.copyOfRange(buf, pos, lim);
    }

    /** Waits for the first bytes of a frame; false when the peer closed or a stop was asked for. */
    private boolean awaitFrame() throws IOException {
        long idleDeadline = idleMs == 0 ? Long.MAX_VALUE : System.nanoTime() + idleMs * 1_000_000L;
        while (true) {
            long left = idleDeadline == Long.MAX_VALUE ? Long.MAX_VALUE : (idleDeadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new FramingException("idle for more than idle.timeout.ms " + idleMs + " ms");
            }
            long wait = stop == NEVER ? left : Math.min(checkMs, left);
            socket.setSoTimeout(wait == Long.MAX_VALUE ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait)));
            int n;
            try {
                n = in.read(buf, 0, buf.length);
            } catch (SocketTimeoutException e) {
                if (stop.getAsBoolean()) {
                    stopped = true;
                    return false;
                }
                continue;
            }
            if (n < 0) {
                return false;
            }
            pos = 0;
            lim = n;
            return true;
        }
    }

    private void take(byte[] dst, long deadline, String what) throws IOException {
        int got = 0;
        while (got < dst.length) {
            if (pos < lim) {
                int k = Math.min(lim - pos, dst.length - got);
                System.arraycopy(buf, pos, dst, got, k);
                pos += k;
                got += k;
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw slow(what, got, dst.length);
            }
            socket.setSoTimeout(deadline == Long.MAX_VALUE ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
            int n;
            try {
                n = in.read(buf, 0, buf.length);
            } catch (SocketTimeoutException e) {
                throw slow(what, got, dst.length);
            }
            if (n < 0) {
                throw new EOFException("peer closed inside a " + what + " (" + got + " of " + dst.length + " bytes)");
            }
            pos = 0;
            lim = n;
        }
    }

    private FramingException slow(String what, int got, int of) {
        return new FramingException("trickling sender: " + what + " not complete within read.timeout.ms " + readMs + " ms ("
                + got + " of " + of + " bytes)");
    }
}
