package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.FramingException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads frames from one socket with two clocks: an idle limit while waiting for the first byte of
 * a frame, and a read limit for the whole frame once it has started, so a sender that trickles
 * one byte at a time cannot hold the connection (a per-read socket timeout alone would never fire).
 *
 * <p>Owned by the one thread that reads the socket; not thread-safe. It does not close the socket.
 */
public final class FrameReader {
    private final Socket socket;
    private final InputStream in;
    private final Framing framing;
    private final int headerBytes;
    private final int maxFrameBytes;
    private final long idleMs;
    private final long readMs;

    /**
     * @param socket the connected socket
     * @param framing the length prefix
     * @param headerBytes the fixed header size
     * @param maxFrameBytes the largest length accepted
     * @param idleMs the longest wait for a frame to start; 0 = no limit
     * @param readMs the longest time from a frame's first byte to its last; 0 = no limit
     * @throws IOException when the socket's stream cannot be opened
     */
    public FrameReader(Socket socket, Framing framing, int headerBytes, int maxFrameBytes, long idleMs, long readMs) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.framing = framing;
        this.headerBytes = headerBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.idleMs = idleMs;
        this.readMs = readMs;
    }

    /**
     * @return header + message of the next frame, or null when the peer closed cleanly between frames
     * @throws FramingException for a bad prefix or length, an idle or a read timeout
     * @throws IOException when the socket fails or closes inside a frame
     */
    public byte[] next() throws IOException {
        int first;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleMs));
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new FramingException("idle for more than idle.timeout.ms " + idleMs + " ms");
        }
        if (first < 0) {
            return null;
        }
        long deadline = readMs == 0 ? Long.MAX_VALUE : System.nanoTime() + readMs * 1_000_000L;
        byte[] prefix = new byte[framing.prefixBytes()];
        prefix[0] = (byte) first;
        fill(prefix, 1, deadline, "length prefix");
        int length = framing.parseLength(prefix, 0);
        Framing.checkLength(length, headerBytes, maxFrameBytes);
        byte[] frame = new byte[length];
        fill(frame, 0, deadline, "frame of " + length + " bytes");
        return frame;
    }

    private void fill(byte[] dst, int off, long deadline, String what) throws IOException {
        int pos = off;
        while (pos < dst.length) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw slow(what, pos, dst.length);
            }
            socket.setSoTimeout(deadline == Long.MAX_VALUE ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
            int n;
            try {
                n = in.read(dst, pos, dst.length - pos);
            } catch (SocketTimeoutException e) {
                throw slow(what, pos, dst.length);
            }
            if (n < 0) {
                throw new EOFException("peer closed inside a " + what + " (" + pos + " of " + dst.length + " bytes)");
            }
            pos += n;
        }
    }

    private FramingException slow(String what, int got, int of) {
        return new FramingException("trickling sender: " + what + " not complete within read.timeout.ms " + readMs + " ms ("
                + got + " of " + of + " bytes)");
    }
}
