package io.fluxrig.cli.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's core racks ({@code demo --cores N}): {@code core}, {@code core2} .. {@code coreN}, all
 * running the same patch, whose consumer group ({@code group: core} in {@code run/demo/core.yaml})
 * makes them share the {@code auth.requests} durable consumer, so each request goes to one of them.
 * What each core handled is read from its own metrics ({@code GET /metrics} on its console port, with
 * the bearer token of its {@code metrics.token} file), never from its log. Stateless; the caller's thread.
 */
final class DemoCores {
    /** The wire the cores share. */
    static final String REQUESTS = "auth.requests";
    /** The core patch's gear that reads it. */
    static final String ISSUER_GEAR = "issuer";
    /** Where the per-core counts are written, beside {@code summary.txt}. */
    static final String COUNTS_FILE = "cores.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoCores() {
    }

    /**
     * One core rack of the demo.
     *
     * @param name {@code core}, {@code core2}, ...
     * @param console its Web Console (and {@code /metrics}) port
     */
    record Core(String name, int console) {
    }

    /**
     * What one core handled, from its metrics.
     *
     * @param name the rack
     * @param requests messages its {@code issuer} gear took in
     * @param deliveries deliveries of {@code auth.requests} to it
     * @param redelivered of them with a delivery count above 1
     */
    record Count(String name, long requests, long deliveries, long redelivered) {
    }

    /** @return the cores: {@code core} on the core console port, core k (k >= 2) on CORE_CONSOLE+70+k-2 */
    static List<Core> cores(DemoCommand.Ports ports, int cores) {
        List<Core> l = new ArrayList<>(List.of(new Core("core", ports.coreConsole())));
        for (int k = 2; k <= cores; k++) {
            l.add(new Core("core" + k, ports.coreConsole() + 70 + k - 2));
        }
        return List.copyOf(l);
    }

    /**
     * Waits until every core reads {@code auth.requests}: its metrics show a subscription to the wire
     * (the transport reports one only once it subscribed).
     *
     * @throws IOException naming the core that did not within {@code timeout}
     */
    static void awaitSubscribed(List<Core> cores, Path racks, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Core c : cores) {
            String last = "no answer yet";
            while (true) {
                try {
                    String text = scrape(c, racks);
                    if (text.lines().anyMatch(l -> l.startsWith("fluxrig_wire_in_flight{") && hasWire(l))) {
                        break;
                    }
                    last = "its /metrics shows no subscription to " + REQUESTS;
                } catch (IOException e) {
                    last = e.getMessage();
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(c.name() + " does not read " + REQUESTS + " after " + timeout.toSeconds() + " s: " + last);
                }
                Thread.sleep(200);
            }
        }
    }

    /** @return each core's counts, scraped now */
    static List<Count> counts(List<Core> cores, Path racks) throws IOException, InterruptedException {
        List<Count> l = new ArrayList<>();
        for (Core c : cores) {
            String text = scrape(c, racks);
            l.add(new Count(c.name(), sum(text, "fluxrig_gear_messages_in_total", "fluxrig_gear_instance=\"" + ISSUER_GEAR + "\""),
                    sumWire(text, "fluxrig_wire_delivered_total"), sumWire(text, "fluxrig_wire_redelivered_total")));
        }
        return l;
    }

    /** @return one line per core and the share of each, as printed at the end of the demo */
    static List<String> lines(List<Count> counts) {
        long all = counts.stream().mapToLong(Count::requests).sum();
        List<String> out = new ArrayList<>();
        for (Count c : counts) {
            out.add(String.format("%-6s %7d requests (%3d%%), %7d %s deliveries, %d redelivered", c.name() + ":", c.requests(),
                    all == 0 ? 0 : Math.round(100.0 * c.requests() / all), c.deliveries(), REQUESTS, c.redelivered()));
        }
        return out;
    }

    /** Writes {@code {"wire":..., "cores":[{"name","requests","deliveries","redelivered"}]}} for scripts and tests. */
    static void write(Path file, List<Count> counts) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("wire", REQUESTS);
        ArrayNode a = root.putArray("cores");
        for (Count c : counts) {
            a.addObject().put("name", c.name()).put("requests", c.requests()).put("deliveries", c.deliveries())
                    .put("redelivered", c.redelivered());
        }
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    private static String scrape(Core c, Path racks) throws IOException, InterruptedException {
        Path tokenFile = racks.resolve(c.name()).resolve("metrics.token");
        if (!Files.isRegularFile(tokenFile)) {
            throw new IOException(c.name() + " has no metrics token file " + tokenFile + " yet");
        }
        String token = Files.readString(tokenFile).strip();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.console() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(c.name() + "'s /metrics answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    private static boolean hasWire(String line) {
        return line.contains("messaging_destination_name=\"" + REQUESTS + "\"");
    }

    private static long sumWire(String text, String metric) {
        return sum(text, metric, "messaging_destination_name=\"" + REQUESTS + "\"");
    }

    /** @return the sum of the samples of {@code metric} whose labels hold {@code label} (Prometheus text format) */
    static long sum(String text, String metric, String label) {
        double total = 0;
        for (String l : text.lines().toList()) {
            if (l.startsWith(metric + "{") && l.contains(label)) {
                String[] parts = l.substring(l.lastIndexOf('}') + 1).trim().split("\\s+");
                total += Double.parseDouble(parts[0]);
            }
        }
        return Math.round(total);
    }
}
