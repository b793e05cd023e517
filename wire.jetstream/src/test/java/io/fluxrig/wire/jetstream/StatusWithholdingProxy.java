package io.fluxrig.wire.jetstream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between NATS clients and a real nats-server that withholds the server's
 * {@code 408 Request Timeout} statuses, as nats-server 2.9.10 sometimes does for a pull request that
 * expires just as a message is stored (fixed upstream later), and records when each pull
 * request passes towards the server and when each JetStream message (one with a {@code $JS.ACK}
 * reply subject) passes towards the client. A delivered message carries its stream subject, not
 * the pull's inbox, so deliveries are attributed to pulls by time.
 * Everything else is forwarded unchanged, frame by frame (plain TCP only, no TLS).
 *
 * <p>Threading: one accept thread, two copy threads per connection; the records are concurrent.
 */
final class StatusWithholdingProxy implements AutoCloseable {
    /** A pull request seen on its way to the server: its reply inbox and when it passed. */
    record Pull(String inbox, long sentNanos) {
    }

    private final ServerSocket listener;
    private final int serverPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Pull> pulls = new CopyOnWriteArrayList<>();
    private final List<Long> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger withheld = new AtomicInteger();
    private volatile boolean closed;

    StatusWithholdingProxy(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "nats://127.0.0.1:" + listener.getLocalPort();
    }

    List<Pull> pulls() {
        return List.copyOf(pulls);
    }

    /** @return when JetStream messages passed towards the client (System.nanoTime), in order */
    List<Long> deliveries() {
        return List.copyOf(deliveries);
    }

    int withheld() {
        return withheld.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                start(() -> copy(client.getInputStream(), server.getOutputStream(), true));
                start(() -> copy(server.getInputStream(), client.getOutputStream(), false));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("proxy accept failed", e);
                }
            }
        }
    }

    private interface Copy {
        void run() throws IOException;
    }

    private void start(Copy c) {
        Thread t = new Thread(() -> {
            try {
                c.run();
            } catch (IOException e) {
                // the other side closed
            }
        }, "proxy-copy");
        t.setDaemon(true);
        t.start();
    }

    /** Copies NATS protocol frames; {@code toServer} tells which direction (and so which ops). */
    private void copy(InputStream rawIn, OutputStream rawOut, boolean toServer) throws IOException {
        InputStream in = new BufferedInputStream(rawIn);
        OutputStream out = new BufferedOutputStream(rawOut);
        while (true) {
            byte[] line = readLine(in);
            if (line == null) {
                return;
            }
            String text = new String(line, StandardCharsets.ISO_8859_1).trim();
            String[] f = text.split(" +");
            byte[] payload = new byte[0];
            boolean forward = true;
            String op = f[0].toUpperCase();
            if (toServer && op.equals("PUB")) {
                payload = in.readNBytes(Integer.parseInt(f[f.length - 1]) + 2);
                if (f[1].startsWith("$JS.API.CONSUMER.MSG.NEXT.") && f.length == 4) {
                    pulls.add(new Pull(f[2], System.nanoTime()));
                }
            } else if (toServer && op.equals("HPUB")) {
                payload = in.readNBytes(Integer.parseInt(f[f.length - 1]) + 2);
            } else if (!toServer && op.equals("MSG")) {
                payload = in.readNBytes(Integer.parseInt(f[f.length - 1]) + 2);
                recordDelivery(f);
            } else if (!toServer && op.equals("HMSG")) {
                payload = in.readNBytes(Integer.parseInt(f[f.length - 1]) + 2);
                int headerLength = Integer.parseInt(f[f.length - 2]);
                String header = new String(payload, 0, headerLength, StandardCharsets.ISO_8859_1);
                if (header.startsWith("NATS/1.0 408")) {
                    withheld.incrementAndGet();
                    forward = false;
                } else {
                    recordDelivery(f);
                }
            }
            if (forward) {
                out.write(line);
                out.write(payload);
                out.flush();
            }
        }
    }

    /** MSG subject sid [reply] size / HMSG subject sid [reply] hsize size: JetStream deliveries have a reply. */
    private void recordDelivery(String[] f) {
        if (f.length > 4 && f[3].startsWith("$JS.ACK.")) {
            deliveries.add(System.nanoTime());
        }
    }

    /** @return one protocol line including its CRLF, or null at end of stream */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            if (prev == '\r' && c == '\n') {
                return b.toByteArray();
            }
            prev = c;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
