package io.fluxrig.bench.fleet;

import io.fluxrig.snake.api.ArtifactInfo;
import io.fluxrig.snake.api.CommandQueued;
import io.fluxrig.snake.api.CommandRequest;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.RackPage;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.TokenReply;
import io.fluxrig.snake.api.TokenRequest;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures one Mixer with a growing simulated fleet: starts a nats-server, a real Mixer
 * ({@link MixerProcess}) and a {@link FleetSimulator}; for each fleet size enrols racks up to it,
 * lets heartbeats settle, then measures over a window: the Mixer's CPU, its heap after a full GC
 * and RSS, heartbeat latency as the racks see it, KV writes per second (the registry and command
 * buckets' stream sequences), the operator API's rack list (first page, a filtered page, every
 * page), the Racks console page, and one {@code fetch-artifact} command sent to every rack as one
 * fan-out ({@code fluxrig commands send --to all}, run in this JVM): time for the command to return,
 * until every rack has received it, and until the fan-out's summary counts every rack done.
 * Prints a Markdown table (and writes it to {@code bench/target/fleet.md}).
 *
 * <p>Settings, {@code key=value}: {@code sizes} (default 100,1000), {@code period} heartbeat ms
 * (5000), {@code window} measuring seconds (60), {@code busy} share of racks with moving gear
 * counters (0.1), {@code inventory} {@code digest} (racks send their inventory only when it
 * changed, as racks do) or {@code full} (in every heartbeat, as racks that predate digests do)
 * ({@code digest}), {@code basePort} (27000), {@code mixerOpts} the Mixer's JVM options
 * ({@code -Xmx1g}), {@code data} (a temporary folder).
 */
public final class FleetBench {
    private static final SnakeCodec JSON = SnakeCodec.json();

    private FleetBench() {
    }

    private static boolean inventoryDigests(String setting) {
        return switch (setting) {
            case "digest" -> true;
            case "full" -> false;
            default -> throw new IllegalArgumentException("inventory is digest or full: " + setting);
        };
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("sizes", "100,1000", "period", "5000", "window", "60", "busy", "0.1",
                "inventory", "digest", "basePort", "27000", "mixerOpts", "-Xmx1g", "root", "."));
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("settings are key=value: " + a);
            }
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int[] sizes = Arrays.stream(o.get("sizes").split(",")).mapToInt(Integer::parseInt).toArray();
        long period = Long.parseLong(o.get("period"));
        int window = Integer.parseInt(o.get("window"));
        int base = Integer.parseInt(o.get("basePort"));
        Path root = Path.of(o.get("root")).toAbsolutePath().normalize();
        Path data = o.containsKey("data") ? Path.of(o.get("data")) : Files.createTempDirectory("fluxrig-fleet-");
        List<String> rows = new ArrayList<>();
        String password = Long.toHexString(new SecureRandom().nextLong()) + "Aa1!";
        try (FleetNats nats = new FleetNats(data.resolve("nats"), base + 22);
                MixerProcess mixer = new MixerProcess(root, data.resolve("mixer"), nats.url(), nats.ca(), base + 443, base + 843, password,
                        o.get("mixerOpts"));
                FleetSimulator fleet = new FleetSimulator("127.0.0.1:" + mixer.snakePort, Pem.hash(mixer.ca()), period,
                        Double.parseDouble(o.get("busy")), inventoryDigests(o.get("inventory")));
                // Patient: on a loaded machine the default 2 s connect timeout is not enough.
                Connection nc = Nats.connect(new io.nats.client.Options.Builder().server(nats.url())
                        .sslContext(TlsContexts.verifyingServer(Pem.readCertificate(nats.ca()), "a NATS server"))
                        .connectionTimeout(Duration.ofSeconds(30)).maxReconnects(-1).build())) {
            // Patient: on a loaded machine a TLS connect can take longer than the usual few seconds.
            HttpClient operatorHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .sslContext(TlsContexts.trusting(mixer.ca())).sslParameters(TlsContexts.parameters())
                    .connectTimeout(Duration.ofSeconds(60)).build();
            Api api = new Api("https://127.0.0.1:" + mixer.apiPort, mixer.operatorToken(), operatorHttp, mixer.consoleUser, password);
            log("Mixer pid %d ready; snake %d, api %d; data %s; a heartbeat is %d bytes of JSON", mixer.pid(), mixer.snakePort,
                    mixer.apiPort, data, JSON.write(new io.fluxrig.snake.api.Heartbeat(period, Map.of("java", "17.0.15", "fluxrig",
                            "1.0.0"), SimInventory.of("sim-00000", 0))).length);
            ArtifactInfo artifact = api.upload(new byte[64 * 1024]);
            for (int size : sizes) {
                long t0 = System.nanoTime();
                fleet.add(size, (rack, labels) -> api.token(rack, labels), 4, n -> {
                    if (n % 250 == 0) {
                        log("  %d racks enrolled", n);
                    }
                });
                double enrolS = (System.nanoTime() - t0) / 1e9;
                log("%d racks enrolled in %.0f s; waiting for all online", size, enrolS);
                while (api.page("?state=online&limit=1").total() < size) {
                    Thread.sleep(500);
                }
                Thread.sleep(2 * period); // every rack heartbeats with its inventory at least twice
                fleet.stats().drainLatencies();
                JetStreamManagement jsm = nc.jetStreamManagement();
                long racksSeq0 = seq(jsm, "KV_fluxrig_mixer_racks");
                long hb0 = fleet.stats().heartbeats();
                long fail0 = fleet.stats().heartbeatFailures();
                double cpu0 = mixer.cpuSeconds();
                double simCpu0 = simCpuSeconds();
                long w0 = System.nanoTime();
                Thread.sleep(window * 1000L);
                double secs = (System.nanoTime() - w0) / 1e9;
                double cpu = (mixer.cpuSeconds() - cpu0) / secs * 100;
                double simCpu = (simCpuSeconds() - simCpu0) / secs * 100;
                double kvWrites = (seq(jsm, "KV_fluxrig_mixer_racks") - racksSeq0) / secs;
                double hbRate = (fleet.stats().heartbeats() - hb0) / secs;
                long failed = fleet.stats().heartbeatFailures() - fail0;
                double[] lat = fleet.stats().drainLatencies();
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                double heap = mixer.heapAfterGcMib();
                double rss = mixer.rssMib();

                double firstPage = median(5, () -> api.page("?limit=100"));
                double filtered = median(5, () -> api.page("?label=site%3Dsite-3&state=online&limit=100"));
                double allPages = median(3, () -> {
                    String after = null;
                    int n = 0;
                    do {
                        RackPage p = api.page("?limit=1000" + (after == null ? "" : "&after=" + after));
                        n += p.racks().size();
                        after = p.next();
                    } while (after != null);
                    if (n != size) {
                        throw new IOException("paging returned " + n + " racks, expected " + size);
                    }
                    return null;
                });
                double consolePage = median(5, () -> api.console("/system/console/racks"));
                double consoleBig = median(3, () -> api.console("/system/console/racks?limit=1000"));

                long commandsSeq0 = seq(jsm, "KV_fluxrig_mixer_commands");
                long c0 = System.nanoTime();
                // One fan-out to every rack, as an operator sends it: run/fluxrig commands send --to all ...
                com.fasterxml.jackson.databind.JsonNode sent = fanOut(api.base(), mixer.data, artifact.digest());
                double enqueueS = (System.nanoTime() - c0) / 1e9;
                Set<String> ids = new java.util.HashSet<>();
                sent.get("racks").forEach(r -> ids.add(r.get("command").asText()));
                if (sent.get("total").asInt() != size || ids.size() != size) {
                    throw new IOException("the fan-out selected " + sent.get("total") + " racks, expected " + size);
                }
                Map<String, Long> receipts;
                while ((receipts = fleet.stats().receipts(ids)).size() < size) {
                    Thread.sleep(50);
                }
                double reachS = (receipts.values().stream().mapToLong(Long::longValue).max().orElse(c0) - c0) / 1e9;
                String summary = io.fluxrig.snake.api.fanout.FanOutPaths.fanOut(sent.get("id").asText()) + "?state=failed";
                while (api.fanOutDone(summary) < size) { // the fan-out's own summary, as the CLI polls it
                    Thread.sleep(250);
                }
                double doneS = (System.nanoTime() - c0) / 1e9;
                long commandWrites = seq(jsm, "KV_fluxrig_mixer_commands") - commandsSeq0;

                String row = String.format(Locale.ROOT, "| %,d | %.0f | %.0f%% | %.0f | %.0f | %.0f | %.1f / %.1f / %.0f | %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f / %.1f / %.1f | %d | %.0f%% | %.1f |",
                        size, enrolS, cpu, heap, rss, hbRate, lat[0], lat[1], lat[2], failed, kvWrites, firstPage, filtered,
                        allPages, consolePage, consoleBig, enqueueS, reachS, doneS, commandWrites, simCpu, load);
                rows.add(row);
                log("%s", row);
            }
        }
        String table = "| racks | enrol s | Mixer CPU | heap MiB | RSS MiB | heartbeats/s | heartbeat ms p50 / p99 / max | "
                + "failed | racks KV writes/s | API page ms | API filtered ms | API all pages ms | Racks page ms | "
                + "Racks page 1000 ms | command: send / reach all / all done s | command KV writes | simulator CPU | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        System.out.println();
        System.out.print(table);
        Path out = root.resolve("bench/target/fleet.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static double median(int n, Call c) throws Exception {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            c.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[n / 2];
    }

    /**
     * Sends one fetch-artifact to every rack with the operator's command, in this JVM:
     * {@code fluxrig commands send --to all fetch-artifact --arg digest=... --wait-s 0 --json}.
     *
     * @return its JSON summary
     */
    private static com.fasterxml.jackson.databind.JsonNode fanOut(String api, Path mixerData, String digest) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = io.fluxrig.cli.Main.run(new String[] {"commands", "send", "--to", "all", CommandType.FETCH_ARTIFACT.wire(),
            "--arg", CommandType.DIGEST + "=" + digest, "--wait-s", "0", "--json", "--api", api, "--data", mixerData.toString()},
                new java.io.ByteArrayInputStream(new byte[0]), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        if (text.isBlank()) { // exit 1 is expected: --wait-s 0 returns before any rack is done
            throw new IOException("commands send failed (exit " + exit + "): " + err.toString(StandardCharsets.UTF_8));
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }

    private static long seq(JetStreamManagement jsm, String stream) throws Exception {
        return jsm.getStreamInfo(stream).getStreamState().getLastSequence();
    }

    private static double simCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static void log(String f, Object... a) {
        System.err.printf(Locale.ROOT, "fleet: " + f + "%n", a);
    }

    /** The operator API and the console, as an operator's tools call them. */
    private record Api(String base, String token, HttpClient http, String user, String password) {
        private HttpResponse<byte[]> call(String method, String path, byte[] body, String type) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + token);
            b = body == null ? b.GET() : b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r;
            for (int attempt = 1;; attempt++) {
                try {
                    r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    break;
                } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                    if (attempt == 5) {
                        throw e; // nothing was sent: a retry cannot do anything twice
                    }
                }
            }
            if (r.statusCode() / 100 != 2) {
                throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + JSON.error(r.body()));
            }
            return r;
        }

        String token(String rack, Map<String, String> labels) throws Exception {
            return JSON.read(call("POST", OperatorPaths.TOKENS, JSON.write(new TokenRequest(rack, labels, "1h")), "application/json").body(),
                    TokenReply.class).token();
        }

        RackPage page(String query) throws Exception {
            return JSON.read(call("GET", OperatorPaths.RACKS + query, null, null).body(), RackPage.class);
        }

        ArtifactInfo upload(byte[] bytes) throws Exception {
            new SecureRandom().nextBytes(bytes);
            return JSON.read(call("POST", OperatorPaths.ARTIFACTS, bytes, "application/octet-stream").body(), ArtifactInfo.class);
        }

        Object console(String path) throws Exception {
            HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                            .getBytes(StandardCharsets.UTF_8))).GET().build();
            HttpResponse<byte[]> a = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            if (a.statusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + a.statusCode());
            }
            return a.body().length;
        }

        /** @return racks done in a fan-out's summary */
        int fanOutDone(String path) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(call("GET", path, null, null).body())
                    .get("counts").get("done").asInt();
        }
    }
}
