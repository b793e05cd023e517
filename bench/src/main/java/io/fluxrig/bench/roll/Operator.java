package io.fluxrig.bench.roll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.Console;
import io.fluxrig.cli.Main;
import io.fluxrig.cli.mixer.RolloutWatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fluxrig commands the runner gives, run in its JVM ({@link Main#run}) as an operator types
 * them: against the kept demo's Mixer ({@code --data DATA/mixer --api https://127.0.0.1:API}),
 * or without a Mixer ({@code release ...}). Thread-safe: every call has its own streams.
 */
final class Operator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path mixerData;
    private final int apiPort;

    /** What a command printed. */
    record Cli(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /**
     * A rollout followed to its end.
     *
     * @param id its id
     * @param state how it ended
     * @param seconds from the {@code rollout create} call (uploads included) to the first view that showed it ended
     * @param rollbackSeconds from the first view in state rolling-back to the end, or NaN
     * @param mixerSeconds the Mixer's own record: last change minus creation
     * @param record the last view
     */
    record Followed(String id, String state, double seconds, double rollbackSeconds, double mixerSeconds, JsonNode record) {
    }

    Operator(Path mixerData, int apiPort) {
        this.mixerData = mixerData;
        this.apiPort = apiPort;
    }

    /** Runs a command without the Mixer's options. */
    static Cli cli(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("FLUXRIG_CONTEXT");
        env.remove("FLUXRIG_API_TOKEN");
        int code = Main.run(args.toArray(String[]::new), new Console(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs an operator command against the demo's Mixer. */
    Cli mixer(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--data", mixerData.toString(), "--api", "https://127.0.0.1:" + apiPort));
        return cli(all);
    }

    /** Runs an operator command and fails unless it exits 0. */
    Cli must(List<String> args) throws IOException {
        Cli c = mixer(args);
        if (c.code() != 0) {
            throw new IOException(String.join(" ", args) + ": exit " + c.code() + ": " + (c.err() + c.out()).strip());
        }
        return c;
    }

    /** @return the id of the rollout {@code rollout create ARGS --json} started */
    String create(List<String> createArgs) throws IOException {
        List<String> a = new ArrayList<>(List.of("rollout", "create"));
        a.addAll(createArgs);
        a.add("--json");
        return must(a).json().get("id").asText();
    }

    /**
     * Starts a rollout and follows it ({@code rollout status ID --json} every 100 ms) until it ends,
     * each change said as {@link RolloutWatch} words it.
     */
    Followed rollout(String label, List<String> createArgs, Duration timeout, Consumer<String> say) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String id = create(createArgs);
        return follow(id, label, t0, timeout, say);
    }

    /** Follows a started rollout until it ends; times count from {@code t0} (a {@link System#nanoTime} value). */
    Followed follow(String id, String label, long t0, Duration timeout, Consumer<String> say) throws IOException, InterruptedException {
        RolloutWatch w = new RolloutWatch(label);
        long rollingBack = -1;
        JsonNode last = null;
        while (!w.ended()) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new IOException("rollout " + id + " did not end within " + timeout.toSeconds() + " s: " + last);
            }
            Cli s = mixer(List.of("rollout", "status", id, "--json"));
            if (s.code() == 0) {
                last = s.json();
                @SuppressWarnings("unchecked")
                Map<String, Object> m = JSON.convertValue(last, Map.class);
                double at = (System.nanoTime() - t0) / 1e9;
                w.changes(m).forEach(line -> say.accept(String.format(java.util.Locale.ROOT, "%6.1f s  %s", at, line)));
                if (rollingBack < 0 && "rolling-back".equals(w.state())) {
                    rollingBack = System.nanoTime();
                }
            }
            if (!w.ended()) {
                Thread.sleep(100);
            }
        }
        long end = System.nanoTime();
        return new Followed(id, w.state(), (end - t0) / 1e9, rollingBack < 0 ? Double.NaN : (end - rollingBack) / 1e9,
                Duration.between(Instant.parse(last.get("createdAt").asText()), Instant.parse(last.get("updatedAt").asText()))
                        .toMillis() / 1000.0, last);
    }
}
