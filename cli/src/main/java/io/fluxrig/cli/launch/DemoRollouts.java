package io.fluxrig.cli.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.mixer.RolloutWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How the demo deploys its racks: as a publisher and an operator would, through signed releases
 * and rollouts. The publisher's Ed25519 key pair is made in the demo's {@code release/} folder
 * ({@code release keygen}; never in the Mixer's folder: a Mixer that is broken into cannot sign),
 * each rack pins its public key before it starts ({@code publisher.keys}, what {@code rack
 * --publisher-key} writes), the gear bundles (copied into {@code release/}, so nothing is written
 * beside the build's jars) and the patches are signed ({@code release sign}), and one rollout per
 * patch takes them out ({@code rollout create --to SELECTOR}; the racks carry a {@code role}
 * label from their enrolment token). The rollouts are followed with {@link RolloutWatch}: one line
 * per rack state change.
 *
 * <p>Runs on the demo's thread; the commands run in this JVM through the operator function.
 */
final class DemoRollouts {
    /** The label every demo rack gets at enrolment: {@code role=core} or {@code role=edge}. */
    static final String ROLE = "role";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path release;
    private final Function<List<String>, Demo.Cli> cli;
    private final Function<List<String>, Demo.Cli> operator;
    private final Consumer<String> say;

    /**
     * One rollout the demo makes.
     *
     * @param selector the racks it goes to ({@code role=core}, or one rack's name)
     * @param bundles the gear bundles, in install order (as built)
     * @param patch the patch file (rendered in the demo's {@code patches/})
     */
    record Plan(String selector, List<Path> bundles, Path patch) {
    }

    /**
     * @param data the demo's data folder
     * @param cli runs a CLI command in this JVM (for {@code release ...})
     * @param operator runs an operator command in this JVM against the demo's Mixer
     * @param say prints one progress line
     */
    DemoRollouts(Path data, Function<List<String>, Demo.Cli> cli, Function<List<String>, Demo.Cli> operator, Consumer<String> say) {
        this.release = data.resolve("release");
        this.cli = cli;
        this.operator = operator;
        this.say = say;
    }

    /** @return the publisher's public key file ({@code release/publisher.pub}), made afresh with its private key ({@code .key}, 0600) */
    Path keys() throws IOException {
        Demo.deleteTree(release);
        Files.createDirectories(release);
        Demo.Cli k = cli.apply(List.of("release", "keygen", "--out", release.resolve("publisher").toString()));
        if (k.code() != 0) {
            throw new IOException("release keygen failed: " + k.err().strip());
        }
        return release.resolve("publisher.pub");
    }

    /** Pins the publisher key in a rack's Snake configuration, before the rack starts. */
    void pin(Path rackData) throws IOException {
        PublisherKeyOption.write(rackData, PublisherKeyOption.keys(List.of(release.resolve("publisher.pub").toString())));
    }

    /**
     * Signs every file of the plans, starts one rollout per plan (one wave, no soak: the demo's
     * racks are new) and follows them all until they end.
     *
     * @return whether every rollout ended done
     */
    boolean run(List<Plan> plans, Duration timeout) throws IOException, InterruptedException {
        Map<String, RolloutWatch> watches = new LinkedHashMap<>();
        for (Plan p : plans) {
            List<String> args = new ArrayList<>(List.of("rollout", "create", "--to", p.selector(), "--waves", "100%", "--soak", "0s",
                    "--deadline", timeout.toSeconds() + "s", "--json"));
            List<String> names = new ArrayList<>();
            for (Path b : p.bundles()) {
                args.addAll(List.of("--bundle", signed(copy(b)).toString()));
                names.add(b.getFileName().toString());
            }
            args.addAll(List.of("--patch", signed(p.patch()).toString()));
            names.add(p.patch().getFileName().toString());
            Demo.Cli created = operator.apply(args);
            if (created.code() != 0) {
                throw new IOException("rollout to " + p.selector() + " refused: " + (created.err() + created.out()).strip());
            }
            Object id = JSON.readValue(created.out(), Map.class).get("id");
            say.accept("rollout " + id + " to " + p.selector() + ": " + String.join(", ", names) + " (signed, key "
                    + release.resolve("publisher.key") + ")");
            watches.put(String.valueOf(id), new RolloutWatch(p.selector()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (watches.values().stream().anyMatch(w -> !w.ended())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the rollouts did not end within " + timeout.toSeconds() + " s");
            }
            for (Map.Entry<String, RolloutWatch> e : watches.entrySet()) {
                if (e.getValue().ended()) {
                    continue;
                }
                Demo.Cli s = operator.apply(List.of("rollout", "status", e.getKey(), "--json"));
                if (s.code() == 0) {
                    e.getValue().changes(JSON.readValue(s.out(), Map.class)).forEach(say);
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return watches.values().stream().allMatch(w -> "done".equals(w.state()));
    }

    /** @return a copy of a built jar in {@code release/}, where its signature goes */
    private Path copy(Path jar) throws IOException {
        Path to = release.resolve(jar.getFileName());
        if (!Files.exists(to)) {
            Files.copy(jar, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return to;
    }

    /** Writes {@code FILE.sig} (once per file) with the publisher's key. */
    private Path signed(Path file) throws IOException {
        if (!Files.exists(Path.of(file + ".sig"))) {
            Demo.Cli s = cli.apply(List.of("release", "sign", file.toString(), "--key", release.resolve("publisher.key").toString()));
            if (s.code() != 0) {
                throw new IOException("release sign " + file + " failed: " + s.err().strip());
            }
        }
        return file;
    }
}
