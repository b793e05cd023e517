package io.fluxrig.bench;

import io.fluxrig.cli.iso.Requests;
import io.fluxrig.cli.iso.SendFleet;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.gear.CodecConfig;
import io.fluxrig.iso8583.gear.CodecGear;
import io.fluxrig.iso8583.gear.ResponderConfig;
import io.fluxrig.iso8583.gear.ResponderGear;
import io.fluxrig.iso8583.gear.ServerConfig;
import io.fluxrig.iso8583.gear.ServerGear;
import io.fluxrig.msg.FluxMsg;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain main (not JMH): the {@code iso send} driver ({@link SendFleet}, exactly what
 * {@code run/fluxrig iso send} runs) against two servers started in this JVM on free loopback ports:
 *
 * <ul>
 * <li><b>chain</b>: the issuer patch as {@code IssuerChain} (gear.iso8583 tests) wires it:
 *     {@code iso8583.server} out → {@code iso8583.codec} decode → {@code iso8583.responder} →
 *     {@code iso8583.codec} encode → server in, synchronous links on the emitting thread (what an
 *     in-rack link does), defaults of every gear;</li>
 * <li><b>echo</b>: the baseline, a minimal server with the same framing (thread per connection,
 *     buffered reads, one write per frame) that decodes nothing: it answers every request with one
 *     fixed 0210 into which it copies the request's STAN, RRN and terminal id at fixed offsets (so
 *     the driver counts it answered). The difference is the gear chain's cost.</li>
 * </ul>
 *
 * For each configuration (connections, window, rate) it runs both, prints TPS, latency
 * p50/p99/p99.9/max, the process CPU time per answered transaction (driver + server + GC + JIT:
 * the least load-sensitive number here) and the chain/echo ratios. Driver and servers share the machine's cores, as
 * they do when both run on one host. Arguments {@code key=value}: {@code count} (requests per
 * max-rate run, default 20000), {@code rateCount} (per fixed-rate run, default 5000),
 * {@code warmup} (requests per server before measuring, default 20000), {@code rates} (the
 * fixed rates, requests per second, comma-separated, default 1000), {@code only} (a regex on the
 * configuration label, e.g. {@code c50}).
 */
public final class IsoServerLoad {
    private IsoServerLoad() {
    }

    /** One driver configuration. */
    private record Config(int connections, int window, double rate) {
        String label() {
            return "c" + connections + " w" + window + " " + (rate > 0 ? "rate " + (long) rate + "/s" : "rate max");
        }
    }

    /** One run's numbers. */
    private record Numbers(double tps, double p50, double p99, double p999, double max, long bad, double cpuMicros) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = KeyValueArgs.parse(args, "IsoServerLoad: settings are key=value, not ");
        long count = Long.parseLong(a.getOrDefault("count", "20000"));
        long rateCount = Long.parseLong(a.getOrDefault("rateCount", "5000"));
        long warmup = Long.parseLong(a.getOrDefault("warmup", "20000"));
        String only = a.getOrDefault("only", ".*");
        IsoCodec codec = IsoCodec.of(Dialects.builtIn("iso87ascii"));
        List<Config> configs = new java.util.ArrayList<>(List.of(new Config(1, 1, 0), new Config(10, 1, 0), new Config(10, 8, 0),
                new Config(50, 1, 0), new Config(50, 8, 0)));
        for (String r : a.getOrDefault("rates", "1000").split(",")) {
            double rate = Double.parseDouble(r.trim());
            configs.addAll(List.of(new Config(1, 1, rate), new Config(10, 1, rate), new Config(50, 8, rate)));
        }

        System.out.printf(Locale.ROOT, "iso send against the issuer chain and an echo baseline; %d cores, load average %s, java %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"));
        try (Chain chain = new Chain(); Echo echo = new Echo(codec)) {
            drive(codec, chain.port(), new Config(10, 8, 0), warmup);
            drive(codec, echo.port(), new Config(10, 8, 0), warmup);
            System.out.printf(Locale.ROOT, "%-22s %-6s %9s %9s %9s %9s %9s %5s %9s%n", "config", "server", "tps", "p50 ms", "p99 ms", "p99.9 ms",
                    "max ms", "bad", "cpu us/tx");
            for (Config c : configs) {
                if (!c.label().matches(".*(" + only + ").*")) {
                    continue;
                }
                long n = c.rate() > 0 ? rateCount : count;
                Numbers e = drive(codec, echo.port(), c, n);
                print(c, "echo", e);
                Numbers g = drive(codec, chain.port(), c, n);
                print(c, "chain", g);
                System.out.printf(Locale.ROOT, "%-22s %-6s %9.2f %9.2f %9.2f %9.2f %9s %5s %9.2f   (chain/echo; load %s)%n", "", "ratio",
                        g.tps() / e.tps(), g.p50() / e.p50(), g.p99() / e.p99(), g.p999() / e.p999(), "", "", g.cpuMicros() / e.cpuMicros(),
                        loadAverage());
            }
            System.out.println("chain rejections: " + chain.rejections.get());
        }
    }

    private static void print(Config c, String server, Numbers n) {
        System.out.printf(Locale.ROOT, "%-22s %-6s %9.1f %9.3f %9.3f %9.3f %9.3f %5d %9.1f%n", c.label(), server, n.tps(), n.p50(), n.p99(), n.p999(),
                n.max(), n.bad(), n.cpuMicros());
    }

    private static Numbers drive(IsoCodec codec, int port, Config c, long count) throws Exception {
        long cpu0 = cpuNanos();
        SendFleet.Result r = new SendFleet(new SendFleet.Options("127.0.0.1", port, Framing.BINARY2, codec, count, c.connections(), c.rate(),
                5000, c.window())).run();
        long cpu = cpuNanos() - cpu0;
        long[] l = r.latencyNanos();
        return new Numbers(r.answered() / r.seconds(), pct(l, 0.50), pct(l, 0.99), pct(l, 0.999), pct(l, 1.0),
                r.lost() + r.mismatched() + r.timedOut() + r.late(), cpu / 1e3 / Math.max(1, r.answered()));
    }

    /** CPU time of this whole process (driver and server together), all threads, including GC and JIT. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** Builds a configuration annotation from its defaults plus overrides (what DS does from ConfigAdmin). */
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> overrides) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> switch (m.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + overrides;
            case "hashCode" -> overrides.hashCode();
            case "equals" -> p == args[0];
            default -> overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue();
        });
        return type.cast(proxy);
    }

    /** A rack stand-in: each port is linked to one gear's {@code in}, called synchronously on the emitting thread. */
    static final class Ctx implements GearContext {
        private final String instance;
        private final Map<String, Link> links = new ConcurrentHashMap<>();
        private final AtomicLong rejections;

        private record Link(Gear target, GearContext ctx) {
        }

        Ctx(String instance, AtomicLong rejections) {
            this.instance = instance;
            this.rejections = rejections;
        }

        Ctx link(String port, Gear target, GearContext ctx) {
            links.put(port, new Link(target, ctx));
            return this;
        }

        @Override
        public String rack() {
            return "bench";
        }

        @Override
        public String instance() {
            return instance;
        }

        @Override
        public void emit(String port, FluxMsg msg) {
            Link l = links.get(port);
            try {
                l.target().onMessage(Gear.PORT_IN, msg, l.ctx());
            } catch (Exception e) {
                if (rejections.getAndIncrement() < 5) {
                    System.err.println(instance + "." + port + ": " + e);
                }
            }
        }
    }

    /** The issuer chain (copied from gear.iso8583's test {@code IssuerChain}; the bench does not depend on test jars). */
    static final class Chain implements AutoCloseable {
        final AtomicLong rejections = new AtomicLong();
        final ServerGear server = new ServerGear(config(ServerConfig.class, Map.of("port", 0)));

        Chain() {
            CodecGear decode = new CodecGear(config(CodecConfig.class, Map.of("direction", "decode")));
            CodecGear encode = new CodecGear(config(CodecConfig.class, Map.of("direction", "encode")));
            ResponderGear responder = new ResponderGear(config(ResponderConfig.class, Map.of()));
            Ctx serverCtx = new Ctx("srv", rejections);
            Ctx decodeCtx = new Ctx("dec", rejections);
            Ctx responderCtx = new Ctx("issuer", rejections);
            Ctx encodeCtx = new Ctx("enc", rejections);
            serverCtx.link(Gear.PORT_OUT, decode, decodeCtx);
            decodeCtx.link(Gear.PORT_OUT, responder, responderCtx);
            responderCtx.link(Gear.PORT_OUT, encode, encodeCtx);
            encodeCtx.link(Gear.PORT_OUT, server, serverCtx);
            server.open(serverCtx);
        }

        int port() {
            return server.localPort();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * The baseline: same framing (binary2, no header), one thread per connection, no decode. The
     * offsets of STAN, RRN and terminal id in the driver's requests (and in the fixed response) are
     * found once, by encoding a request with marker values; every request of {@code iso send} has
     * the same layout (fixed-length fields, a 16-digit PAN).
     */
    static final class Echo implements AutoCloseable {
        private static final String STAN = "314159";
        private static final String RRN = "271828182845";
        private static final String TID = "T1414213";
        private final ServerSocket listener = new ServerSocket();
        private final byte[] response;
        private final int[] requestAt = new int[3];
        private final int[] responseAt = new int[3];
        private final int[] lengths = {STAN.length(), RRN.length(), TID.length()};
        private final List<Socket> sockets = new ArrayList<>();

        Echo(IsoCodec codec) throws Exception {
            byte[] request = codec.encode(Requests.purchase(STAN, RRN, TID, new Random(1)));
            response = codec.encode(new IsoMessage("0210", Map.of(11, STAN, 37, RRN, 39, "00", 41, TID)));
            String[] markers = {STAN, RRN, TID};
            for (int i = 0; i < 3; i++) {
                requestAt[i] = find(request, markers[i]);
                responseAt[i] = find(response, markers[i]);
            }
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            Thread t = new Thread(this::accept, "echo-accept");
            t.setDaemon(true);
            t.start();
        }

        private static int find(byte[] bytes, String marker) {
            String s = new String(bytes, StandardCharsets.ISO_8859_1);
            int at = s.indexOf(marker);
            if (at < 0 || s.lastIndexOf(marker) != at) {
                throw new IllegalStateException("marker " + marker + " not found exactly once");
            }
            return at;
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = listener.accept();
                    s.setTcpNoDelay(true);
                    synchronized (sockets) {
                        sockets.add(s);
                    }
                    Thread t = new Thread(() -> serve(s), "echo-" + s.getPort());
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
                OutputStream out = s.getOutputStream();
                byte[] prefix = new byte[2];
                while (in.readNBytes(prefix, 0, 2) == 2) {
                    int length = (prefix[0] & 0xFF) << 8 | prefix[1] & 0xFF;
                    byte[] req = in.readNBytes(length);
                    if (req.length < length) {
                        return;
                    }
                    byte[] frame = Framing.BINARY2.frame(new byte[0], response);
                    for (int i = 0; i < 3; i++) {
                        System.arraycopy(req, requestAt[i], frame, 2 + responseAt[i], lengths[i]);
                    }
                    out.write(frame);
                }
            } catch (IOException e) {
                // peer gone
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
