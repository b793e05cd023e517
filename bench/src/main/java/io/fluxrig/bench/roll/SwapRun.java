package io.fluxrig.bench.roll;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.cli.iso.SendFleet;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Zero loss during a change: the kept demo driven at a steady rate by the terminal fleet
 * ({@link SendFleet}, in this JVM) for a baseline phase without a change, then a phase during
 * which two rollouts replace {@code gear.json} on the core rack ({@code role=core}) and
 * {@code gear.iso8583} on the edge rack ({@code role=edge}) with new releases of the same code
 * (bumped version, signed, next sequence). Per phase: what the terminals saw (each request
 * answered exactly once on its own connection, and how many 96s), and what the two wires stored
 * (each request and each decision once). Measures; asserts nothing.
 *
 * <p>Threading: the load runs on a pool thread; this thread starts and follows the rollouts.
 */
final class SwapRun {
    private static final String REQUESTS = "fluxrig.wire.auth.requests";
    private static final String RESPONSES = "fluxrig.wire.auth.responses.edge";

    /**
     * One phase.
     *
     * @param phase its name
     * @param planned the requests the terminals were to send
     * @param load what the terminals saw
     * @param requestsStored messages added to the auth.requests stream during the phase
     * @param decisionsStored messages added to the auth.responses.edge stream
     * @param rollouts the rollouts of the phase (empty for the baseline)
     * @param newVersionsRunning whether each rack's inventory shows the new release afterwards
     * @param loadAvg the load average before and after
     */
    record Phase(String phase, long planned, SendFleet.Result load, long requestsStored, long decisionsStored, List<Operator.Followed> rollouts,
            String newVersionsRunning, String loadAvg) {
    }

    private final Path data;
    private final int base;
    private final Operator op;
    private final Releases releases;
    private final RollSettings s;
    private final Consumer<String> say;

    SwapRun(Path data, int base, Operator op, Releases releases, RollSettings settings, Consumer<String> say) {
        this.data = data;
        this.base = base;
        this.op = op;
        this.releases = releases;
        this.s = settings;
        this.say = say;
    }

    List<Phase> run() throws Exception {
        Path json = built("gear.json");
        Path iso = built("gear.iso8583");
        Path newJson = releases.bumped(json, "roll" + (System.currentTimeMillis() / 1000));
        Path newIso = releases.bumped(iso, "roll" + (System.currentTimeMillis() / 1000));
        say.accept("new releases: " + newJson.getFileName() + ", " + newIso.getFileName() + " (signed with " + data.resolve("release/publisher.key") + ")");
        List<Phase> phases = new ArrayList<>();
        try (Connection nats = connect()) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            String requests = jsm.getStreamNames(REQUESTS).get(0);
            String responses = jsm.getStreamNames(RESPONSES).get(0);
            say.accept("warm-up: 1000 requests at " + s.rate() + " TPS");
            SendFleet.Result warm = load(1000, s.rate());
            say.accept("warm-up: sent " + warm.sent() + " answered " + warm.answered() + " " + warm.byCode());

            say.accept("baseline: " + s.rate() + " TPS for " + s.baseline() + " s, no change");
            phases.add(phase("baseline (no change)", jsm, requests, responses, (long) s.rate() * s.baseline(), () -> List.of(), () -> "-"));

            say.accept("swap: " + s.rate() + " TPS for " + s.seconds() + " s; the rollouts start " + s.swapAt() + " s in");
            phases.add(phase("swap: gear.json on core, gear.iso8583 on edge", jsm, requests, responses, (long) s.rate() * s.seconds(), () -> {
                Thread.sleep(s.swapAt() * 1000L); // the change's place in the load's timeline, not a wait for a condition
                long t0 = System.nanoTime();
                String core = op.create(createArgs("role=core", newJson));
                String edge = op.create(createArgs("role=edge", newIso));
                Operator.Followed c = op.follow(core, "role=core", t0, Duration.ofMinutes(5), say);
                Operator.Followed e = op.follow(edge, "role=edge", t0, Duration.ofMinutes(5), say);
                return List.of(c, e);
            }, () -> "core " + runs("core", newJson) + ", edge " + runs("edge", newIso)));
        }
        return phases;
    }

    private List<String> createArgs(String selector, Path bundle) {
        return List.of("--to", selector, "--bundle", bundle.toString(), "--waves", "100%", "--soak", s.soak(), "--deadline", "5m");
    }

    @FunctionalInterface
    private interface During {
        List<Operator.Followed> run() throws Exception;
    }

    @FunctionalInterface
    private interface After {
        String check() throws Exception;
    }

    private Phase phase(String name, JetStreamManagement jsm, String requests, String responses, long count, During during, After after)
            throws Exception {
        String loadBefore = RollRunner.loadAvg();
        long r0 = jsm.getStreamInfo(requests).getStreamState().getMsgCount();
        long d0 = jsm.getStreamInfo(responses).getStreamState().getMsgCount();
        CompletableFuture<SendFleet.Result> sending = CompletableFuture.supplyAsync(() -> {
            try {
                return load(count, s.rate());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Operator.Followed> rollouts = during.run();
        SendFleet.Result r = sending.get();
        // The last decisions may still be on their way to the stream when the terminals have them.
        Thread.sleep(1000);
        long requestsStored = jsm.getStreamInfo(requests).getStreamState().getMsgCount() - r0;
        long decisionsStored = jsm.getStreamInfo(responses).getStreamState().getMsgCount() - d0;
        say.accept(name + ": sent " + r.sent() + " answered " + r.answered() + " " + r.byCode() + " timed out " + r.timedOut()
                + " duplicated " + r.duplicated() + " mismatched " + r.mismatched() + " late " + r.late() + "; stored " + requestsStored
                + " requests, " + decisionsStored + " decisions");
        return new Phase(name, count, r, requestsStored, decisionsStored, rollouts, after.check(), loadBefore + " → " + RollRunner.loadAvg());
    }

    private SendFleet.Result load(long count, double rate) throws IOException, InterruptedException {
        SendFleet.Options o = new SendFleet.Options("127.0.0.1", base + 2, Framing.BINARY2, IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII)),
                count, s.connections(), rate, 5000, 1);
        return new SendFleet(o).run();
    }

    /** @return the built jar the demo deployed (its copy in the demo's release folder) */
    private Path built(String module) throws IOException {
        try (var files = Files.list(data.resolve("release"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(module + "-") && f.getFileName().toString().endsWith(".jar"))
                    .findFirst().orElseThrow(() -> new IOException("no " + module + " jar in " + data.resolve("release")));
        }
    }

    /** @return "new release running" when the rack's inventory lists the jar's digest, else what it lists */
    private String runs(String rack, Path jar) throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        for (int attempt = 0; attempt < 20; attempt++) {
            JsonNode info = op.must(List.of("rack-info", rack, "--json")).json();
            for (JsonNode d : info.at("/inventory/bundleDigests")) {
                if (digest.equals(d.asText())) {
                    return "runs " + jar.getFileName();
                }
            }
            Thread.sleep(500); // the inventory arrives with the next heartbeat
        }
        return "does NOT run " + jar.getFileName();
    }

    private Connection connect() throws IOException, InterruptedException {
        Path ca = data.resolve("nats/tls").resolve(LocalCa.CERT);
        try {
            return Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + base)
                    .sslContext(TlsContexts.verifyingServer(Pem.readCertificate(ca), "a NATS server"))
                    .authHandler(new CredsAuthHandler(data.resolve("nats/creds/admin.creds"))).connectionName("fluxrig-roll-runner")
                    .errorListener(new ErrorListener() { }).build());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the demo's NATS CA " + ca + ": " + e.getMessage(), e);
        }
    }
}
