package io.fluxrig.bench.raw;

import io.nats.client.ConsumerContext;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.PublishOptions;
import io.nats.client.ConsumeOptions;
import io.nats.client.impl.Headers;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Year;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw topology's terminal side, on jnats and the JDK only: accepts ISO 8583 connections
 * (2-byte binary length, iso87ascii), maps each request to the canonical JSON authorisation
 * request, publishes it on {@code raw.requests} (Nats-Msg-Id, expected stream, asynchronous ack)
 * and keeps it pending; consumes decisions from {@code raw.answers.<name>} (durable pull
 * consumer, explicit ack, 128 in flight), writes the 0210 to the request's connection in one
 * write, and answers 96 for a request without a decision after 4 s (the demo's deadline).
 *
 * <p>Threads: one acceptor, one reader per connection (blocking socket I/O), jnats' consume
 * dispatcher for decisions, one timer for the deadline. A connection's writes are serialised on
 * its output stream.
 */
final class RawEdge implements AutoCloseable {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(4);

    private record Pending(Conn conn, String[] request, long since) {
    }

    /** One terminal connection. */
    private final class Conn {
        final long id;
        final Socket socket;
        final OutputStream out;

        Conn(long id, Socket socket) throws IOException {
            this.id = id;
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void write(byte[] framed) {
            try {
                synchronized (out) {
                    out.write(framed);
                }
            } catch (IOException gone) {
                close(socket);
            }
        }
    }

    private final Connection nc;
    private final JetStream js;
    private final String name;
    private final ServerSocket server;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final PublishOptions publishOptions = PublishOptions.builder().expectedStream(RawStreams.REQUESTS).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "raw-edge-deadline"));
    private final String year = Integer.toString(Year.now().getValue());
    private final MessageConsumer consumer;

    RawEdge(Connection nc, String name, int port) throws Exception {
        this.nc = nc;
        this.js = nc.jetStream();
        this.name = name;
        RawStreams.ensureStreams(nc);
        RawStreams.ensureConsumer(nc, RawStreams.ANSWERS, "edge-" + name, RawStreams.ANSWERS_PREFIX + name);
        ConsumerContext cc = nc.getConsumerContext(RawStreams.ANSWERS, "edge-" + name);
        this.consumer = cc.consume(ConsumeOptions.builder().batchSize(RawStreams.IN_FLIGHT).build(), this::answer);
        this.server = new ServerSocket(port, 512, InetAddress.getLoopbackAddress());
        daemon(this::accept, "raw-edge-accept").start();
        timer.scheduleWithFixedDelay(this::expire, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Conn c = new Conn(connections.incrementAndGet(), s);
                daemon(() -> read(c), "raw-edge-conn-" + c.id).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Conn c) {
        try (Socket s = c.socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 16 * 1024));
            while (true) {
                int len = in.readUnsignedShort();
                byte[] frame = new byte[len];
                in.readFully(frame);
                String[] f;
                try {
                    f = RawIso.decode(frame);
                } catch (RuntimeException e) {
                    System.err.println("raw edge: connection " + c.id + ": " + e.getMessage());
                    continue;
                }
                request(c, f);
            }
        } catch (EOFException closed) {
            // the terminal went away
        } catch (IOException e) {
            // closed by us or the terminal
        }
    }

    private void request(Conn c, String[] f) {
        String id = name + "-" + c.id + "-" + f[11] + "-" + f[37];
        pending.put(id, new Pending(c, f, System.nanoTime()));
        Headers h = new Headers().put("Nats-Msg-Id", id).put(RawStreams.REPLY_TO, RawStreams.ANSWERS_PREFIX + name);
        js.publishAsync(RawStreams.REQUESTS_SUBJECT, h, json(f), publishOptions).whenComplete((ack, e) -> {
            if (e != null) {
                System.err.println("raw edge: request " + id + " not stored: " + e);
            }
        });
    }

    /** The canonical JSON authorisation request (what json.map iso-auth-request writes), by hand. */
    private byte[] json(String[] f) {
        String minor = f[4];
        long units = Long.parseLong(minor);
        String value = (units / 100) + "." + (units % 100 < 10 ? "0" : "") + (units % 100);
        String currency = "978".equals(f[49]) ? "EUR" : "840".equals(f[49]) ? "USD" : f[49];
        String t = f[7];
        StringBuilder b = new StringBuilder(384).append("{\"message_type\":\"").append(f[0]).append("\",\"pan\":\"").append(f[2])
                .append('"');
        if (f[3] != null) {
            b.append(",\"processing_code\":\"").append(f[3]).append('"');
        }
        b.append(",\"amount\":{\"value\":\"").append(value).append("\",\"currency\":\"").append(currency).append("\"}")
                .append(",\"stan\":\"").append(f[11]).append('"');
        if (f[37] != null) {
            b.append(",\"rrn\":\"").append(f[37].stripTrailing()).append('"');
        }
        b.append(",\"terminal\":\"").append(f[41].stripTrailing()).append('"');
        if (f[42] != null) {
            b.append(",\"merchant\":\"").append(f[42].stripTrailing()).append('"');
        }
        if (f[18] != null) {
            b.append(",\"merchant_type\":\"").append(f[18]).append('"');
        }
        if (f[22] != null) {
            b.append(",\"pos_entry_mode\":\"").append(f[22]).append('"');
        }
        if (f[14] != null) {
            b.append(",\"expiry\":\"").append(f[14]).append('"');
        }
        b.append(",\"transmitted_at\":\"").append(year).append('-').append(t, 0, 2).append('-').append(t, 2, 4).append('T')
                .append(t, 4, 6).append(':').append(t, 6, 8).append(':').append(t, 8, 10).append("Z\"");
        if (f[12] != null) {
            b.append(",\"local_time\":\"").append(f[12], 0, 2).append(':').append(f[12], 2, 4).append(':').append(f[12], 4, 6)
                    .append('"');
        }
        if (f[13] != null) {
            b.append(",\"local_date\":\"").append(f[13], 0, 2).append('-').append(f[13], 2, 4).append('"');
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A decision from the core: answer the terminal (when the request still waits), then ack. */
    private void answer(Message m) {
        String id = m.getHeaders() == null ? null : m.getHeaders().getFirst(RawStreams.REQUEST_ID);
        Pending p = id == null ? null : pending.remove(id);
        if (p != null) {
            String body = new String(m.getData(), StandardCharsets.UTF_8);
            reply(p, field(body, "response_code"), field(body, "auth_code"));
        }
        m.ack();
    }

    private void expire() {
        long now = System.nanoTime();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (now - e.getValue().since() > DEADLINE_NANOS && pending.remove(e.getKey(), e.getValue())) {
                reply(e.getValue(), "96", null);
            }
        }
    }

    /** The 0210 (what json.map auth-decision-iso and the encoder write): echoed fields, 38, 39. */
    private static void reply(Pending p, String code, String authCode) {
        String[] q = p.request();
        String[] r = new String[129];
        r[0] = "0200".equals(q[0]) ? "0210" : "0110";
        for (int n : new int[] {2, 3, 4, 7, 11, 12, 13, 37, 41, 42, 49}) {
            r[n] = q[n];
        }
        r[38] = authCode;
        r[39] = code == null ? "96" : code;
        p.conn().write(RawIso.encodeFramed(r));
    }

    /** The value of {@code "key":"value"} in a flat JSON object, or null. */
    static String field(String json, String key) {
        String k = "\"" + key + "\":\"";
        int i = json.indexOf(k);
        if (i < 0) {
            return null;
        }
        int from = i + k.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        server.close();
        consumer.stop();
    }
}
