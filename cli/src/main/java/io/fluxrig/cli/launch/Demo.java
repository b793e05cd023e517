package io.fluxrig.cli.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.Console;
import io.fluxrig.cli.Main;
import io.fluxrig.cli.iso.SendFleet;
import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Runs the payment-switch demo (see {@link DemoCommand}) in phases, saying each on stderr
 * ({@code demo: ...}). Every process is started and stopped by one {@link Supervisor}; every hand-
 * over is a file or an API: readiness files (Mixer, racks, issuer), ports (NATS, the edge's ISO
 * port), the operator token file, the operator commands' {@code --json} output, and the wires'
 * durable consumers on NATS. Runs on the calling thread ({@link DemoLoad} adds the load's
 * thread); a JVM shutdown hook stops the
 * processes on Ctrl-C unless {@code --keep} ended the run.
 */
final class Demo {
    private static final Duration START = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DemoCommand o;
    private final DemoCommand.Ports ports;
    private final Layout layout;
    private final Console console;
    private final Path data;
    private final Map<String, String> env;

    Demo(DemoCommand options, DemoCommand.Ports ports, Layout layout, Console console) {
        this.o = options;
        this.ports = ports;
        this.layout = layout;
        this.console = console;
        this.data = options.data.toAbsolutePath().normalize();
        Map<String, String> e = new HashMap<>(console.env());
        e.remove("FLUXRIG_CONTEXT"); // the demo's own Mixer, not the operator's selected one
        e.remove("FLUXRIG_API_TOKEN");
        this.env = Map.copyOf(e);
    }

    private void say(String text) {
        console.err().println("demo: " + text);
        console.err().flush();
    }

    boolean run() throws IOException, InterruptedException {
        OwnerOnly.folder(data); // it holds the NATS trust, the publisher key and the console password
        Supervisor.stopRecorded(data.resolve("pids"), this::say);
        if (o.stop) {
            return true;
        }
        List<Path> jars = List.of(layout.require(layout.rackJar(true)), layout.require(layout.mixerJar()),
                layout.gearJar("gear.basic"), layout.gearJar("gear.iso8583"), layout.gearJar("gear.json"));
        for (int p : ports.all()) {
            if (Readiness.listening(p)) {
                throw new IOException("port " + p + " is in use; choose others (--base-port P, or --nats-port, --issuer-port, "
                        + "--iso-port, --edge-console-port, --core-console-port, --mixer-snake-port, --mixer-api-port)");
            }
        }
        String[] creds = consoleCredentials();
        prepareFolders();

        Supervisor sup = new Supervisor(data.resolve("logs"), data.resolve("pids"), this::say);
        Thread hook = new Thread(sup::close, "fluxrig-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean ok = false;
        try {
            ok = runWith(sup, jars, creds);
            return ok;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is stopping the processes
            }
            if (o.keep && ok) {
                sup.detach();
            }
            Child issuer = sup.children().stream().filter(c -> c.name().equals("issuer")).findFirst().orElse(null);
            sup.close();
            if (issuer != null && !o.keep) {
                issuer.lines().stream().filter(l -> l.startsWith("fluxrig issuer stopped")).forEach(console.out()::println);
            }
            console.out().println(verdict);
        }
    }

    private String verdict = "demo FAILED: it did not get as far as the load";
    /** The demo's publisher and rollouts, set before the racks' start lines are made (the demo's thread). */
    private DemoRollouts rollouts;
    /** The demo's NATS, set once its identities are written (the demo's thread). */
    private DemoNats nats;

    private boolean runWith(Supervisor sup, List<Path> jars, String[] creds) throws IOException, InterruptedException {
        nats = natsIdentities();
        say("starting " + nats.describe() + ", operator mode: every client authenticates with a creds file;"
                + " TLS required, clients trust the demo's NATS CA " + natsCa() + "), the issuer (port " + ports.issuer() + "), the Mixer (API "
                + ports.api() + ", Snake " + ports.snake() + "); logs in " + data.resolve("logs"));
        nats.start(sup, START);
        Child issuer = sup.start("issuer", layout.cli(issuerArgs()));
        List<String> extra = List.of();
        Path mixerData = data.resolve("mixer");
        StartLine mixerLine = JvmLaunch.mixer(layout, new JvmLaunch.Mixer(mixerData, nats.url(),
                ports.snake(), null, ports.api(), null, null, creds[0], creds[1]), extra, env);
        if (nats.clustered()) {
            // The registry, tokens and commands at the wires' replicas (the Mixer creates its buckets at start).
            Files.writeString(mixerData.resolve("etc").resolve(JvmLaunch.MIXER_PID + ".cfg"), "kv.replicas=" + nats.replicas() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Child mixer = sup.start("mixer", mixerLine);
        mixer.awaitReady(Readiness.file(mixerData.resolve("mixer.ready")), START);

        List<DemoCommand.Edge> edges = DemoCommand.edges(ports, o.edges);
        List<String> edgeNames = edges.stream().map(DemoCommand.Edge::name).toList();
        List<DemoCores.Core> cores = DemoCores.cores(ports, o.cores);
        List<String> coreNames = cores.stream().map(DemoCores.Core::name).toList();
        rollouts = new DemoRollouts(data, this::cli, this::operator, this::say);
        Path publisherKey = rollouts.keys();
        say("publisher key pair made in " + publisherKey.getParent() + " (outside the Mixer's folder); the racks pin "
                + publisherKey.getFileName());
        say("starting racks " + String.join(", ", edgeNames) + " and " + String.join(", ", coreNames)
                + " (no gears yet), enrolling them with the Mixer");
        Map<String, StartLine> rackCommands = new HashMap<>();
        for (DemoCores.Core c : cores) {
            rackCommands.put(c.name(), rackCommand(c.name(), c.console(), creds, extra));
        }
        for (DemoCommand.Edge e : edges) {
            rackCommands.put(e.name(), rackCommand(e.name(), e.console(), creds, extra));
        }
        for (String name : coreNames) {
            sup.start(name, rackCommands.get(name));
        }
        for (String name : edgeNames) {
            sup.start(name, rackCommands.get(name));
        }
        issuer.awaitReady(Readiness.file(data.resolve("issuer.ready")), START);
        List<String> racks = new ArrayList<>(coreNames);
        racks.addAll(edgeNames);
        for (String name : racks) {
            Child rack = sup.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
            rack.awaitReady(Readiness.file(data.resolve("racks").resolve(name).resolve("rack.ready")), START);
            awaitOnline(rack);
        }

        say("deploying through the Mixer with signed rollouts: role=core (" + String.join(", ", coreNames) + ") <- gear.basic, gear.json, core.yaml; "
                + (edges.size() == 1 ? "role=edge" : String.join(", ", edgeNames)) + " <- gear.basic, gear.iso8583, gear.json, "
                + (edges.size() == 1 ? "edge.yaml" : "its own edge patch"));
        if (!rollouts.run(rolloutPlans(jars, edgeNames), START)) {
            throw new IOException("deploying through the Mixer failed: a rollout did not end done (see above)");
        }
        awaitWires(edgeNames);
        if (cores.size() > 1) {
            DemoCores.awaitSubscribed(cores, data.resolve("racks"), START);
        }
        for (DemoCommand.Edge e : edges) {
            Child edgeRack = sup.children().stream().filter(c -> c.name().equals(e.name())).findFirst().orElseThrow();
            edgeRack.awaitReady(Readiness.port(e.iso()), Duration.ofSeconds(60));
        }

        SendFleet.Result result = new DemoLoad(o, ports, data, console, sup).run(nats, rackCommands.get("core"), edges);
        String user = creds[0];
        for (DemoCommand.Edge e : edges) {
            console.out().println(String.format("%-18s http://127.0.0.1:%d/system/console/fluxrig", e.name() + " rack console:", e.console()));
        }
        for (DemoCores.Core c : cores) {
            console.out().println(String.format("%-18s http://127.0.0.1:%d/system/console/fluxrig", c.name() + " rack console:", c.console()));
        }
        if (cores.size() > 1) {
            printCoreCounts(cores);
        }
        console.out().println("mixer console:     https://127.0.0.1:" + ports.api() + "/system/console/racks  (TLS from the demo's own "
                + "Mixer CA: " + mixerData.resolve("ca.crt") + ")");
        console.out().println("console user: " + user + "  (password in " + data.resolve("console.txt") + ", mode 0600)");
        boolean ok = verdict(result);
        if (o.keep && ok) {
            say("everything keeps running (--keep): try run/fluxrig iso send --port " + ports.iso()
                    + " --count 100; run/fluxrig demo --stop --data " + data + " stops it");
        }
        return ok;
    }

    /**
     * NATS in operator mode with TLS: a root of trust for this run ({@code nats/trust}, seeds 0600;
     * what an operator keeps offline), of which the Mixer gets only the signing keys it signs the
     * racks' credentials and revocations with ({@code mixer/nats/trust}); a NATS CA for this run
     * ({@code nats/tls}, key 0600; not the Mixer's CA, see {@link LocalCa}) and the server's
     * certificate from it; the server's configuration; creds files (0600) for the Mixer ({@code
     * mixer/nats/mixer.creds}, beside the CA it trusts, {@code mixer/nats/ca.crt}), the read-only
     * user the demo checks the wires with and an admin for operator tools ({@code nats/creds/}). The
     * racks get theirs from the Mixer at enrolment ({@code racks/<name>/snake/nats.creds}, named by
     * their wire configuration with the CA file).
     *
     * @return the demo's NATS, one server or a cluster, not started yet
     */
    private DemoNats natsIdentities() throws IOException {
        NatsTrust trust = NatsTrust.loadOrCreate(data.resolve("nats").resolve("trust"));
        trust.writeSigner(data.resolve("mixer").resolve("nats").resolve("trust"));
        Path auth = trust.writeServerConfig(data.resolve("nats").resolve("auth").resolve("auth.conf"));
        LocalCa ca = LocalCa.loadOrCreate(data.resolve("nats").resolve("tls"));
        ServerTls tls = ca.issueServer(data.resolve("nats").resolve("tls").resolve("server"), List.of("127.0.0.1", "localhost"),
                Duration.ofDays(30));
        Path conf = tls.writeConfig(data.resolve("nats").resolve("auth").resolve("nats.conf"), auth, false);
        MixerCommand.copyNatsCa(tls.ca(), data.resolve("mixer").resolve("nats").resolve("ca.crt"));
        trust.writeCreds(Role.MIXER, "mixer", null, data.resolve("mixer").resolve("nats").resolve("mixer.creds"));
        trust.writeCreds(Role.READER, "demo", null, readerCreds());
        trust.writeCreds(Role.ADMIN, "operator", null, data.resolve("nats").resolve("creds").resolve("admin.creds"));
        return new DemoNats(o.cluster, ports.nats(), data.resolve("nats"), trust, tls, conf);
    }

    /** The demo NATS's CA certificate: what every client of it trusts. */
    private Path natsCa() {
        return data.resolve("nats").resolve("tls").resolve(LocalCa.CERT);
    }

    private Path readerCreds() {
        return data.resolve("nats").resolve("creds").resolve("reader.creds");
    }

    private String[] issuerArgs() {
        List<String> a = new ArrayList<>(List.of("issuer", "--port", Integer.toString(ports.issuer()), "--limit", Long.toString(o.limit),
                "--ready-file", data.resolve("issuer.ready").toString()));
        if (!o.block.isBlank()) {
            a.addAll(List.of("--block", o.block));
        }
        if (o.slow != null) {
            a.addAll(List.of("--slow", o.slow));
        }
        if (o.slowMs != null) {
            a.addAll(List.of("--slow-ms", Long.toString(o.slowMs)));
        }
        if (o.fail != null) {
            a.addAll(List.of("--fail", o.fail));
        }
        if (o.otlp != null) {
            a.add("--log-traces");
        }
        return a.toArray(String[]::new);
    }

    /** One console user and password per demo data folder, given to both racks and the Mixer (they store a hash). */
    private String[] consoleCredentials() throws IOException {
        Path file = data.resolve("console.txt");
        if (!Files.exists(file)) {
            byte[] b = new byte[12];
            new SecureRandom().nextBytes(b);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "user=demo\npassword=" + HexFormat.of().formatHex(b) + "\n");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new String[] {p.getProperty("user"), p.getProperty("password")};
    }

    /**
     * A clean start each run: JetStream store, Mixer (CA, operator token) and racks (certificates,
     * deployed gears, patches). The terminals' connection ids restart at 1 with every edge start,
     * so a reply left over from an earlier run must not be delivered; and the Mixer's registry
     * lives in that JetStream store, so the racks enrol again.
     */
    private void prepareFolders() throws IOException {
        for (String d : List.of("nats", "logs", "mixer", "racks", "patches")) {
            deleteTree(data.resolve(d));
        }
        Files.deleteIfExists(data.resolve("issuer.ready"));
        Files.deleteIfExists(data.resolve(DemoCores.COUNTS_FILE));
        List<String> names = new ArrayList<>(DemoCommand.edges(ports, o.edges).stream().map(DemoCommand.Edge::name).toList());
        DemoCores.cores(ports, o.cores).forEach(c -> names.add(c.name()));
        for (String name : names) {
            Path gears = Files.createDirectories(data.resolve("racks").resolve(name).resolve("gears"));
            // Local to each rack (where its NATS is), not deployed: 128 deliveries in flight per subscription:
            // the core holds each request until its decision is published, so this caps the issuer calls at once.
            // A cluster's wires are R3: an acknowledged message is held by a quorum (wire.jetstream's durability section).
            Files.writeString(gears.resolve("fluxrig.wire.jetstream.cfg"), "servers=" + natsUrl()
                    + "\ncredentials.file=" + data.resolve("racks").resolve(name).resolve("snake").resolve("nats.creds")
                    + "\ntls.ca.file=" + natsCa() + "\ndefault.max.in.flight=128\n" + (o.cluster > 1 ? "default.replicas=3\n" : ""));
            if (o.otlp != null) {
                TelemetryConfigFile.ensure(gears.getParent(), o.otlp);
            }
        }
        Path patches = Files.createDirectories(data.resolve("patches"));
        String edgeTemplate = Files.readString(layout.root().resolve("run/demo/edge.yaml"));
        for (DemoCommand.Edge e : DemoCommand.edges(ports, o.edges)) {
            // Each edge names itself (its reply wire is auth.responses.${rack}) and listens on its own port.
            Files.writeString(patches.resolve(e.name() + ".yaml"), edgeTemplate.replace("@ISO_PORT@", Integer.toString(e.iso()))
                    .replaceAll("(?m)^rack: edge$", "rack: " + e.name()));
        }
        String coreTemplate = Files.readString(layout.root().resolve("run/demo/core.yaml"))
                .replace("@ISSUER_URL@", "http://127.0.0.1:" + ports.issuer() + "/auth");
        // One patch for every core: one signed release goes to role=core, and its group shares auth.requests.
        Files.writeString(patches.resolve("core.yaml"), coreTemplate);
        Files.createDirectories(data.resolve("logs"));
    }

    /** The racks' servers setting: the one server, or the cluster's client URLs. */
    private String natsUrl() {
        return DemoNats.urls(o.cluster, ports.nats());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /**
     * The command that starts base rack NAME enrolled with the demo's Mixer, from a one-time token
     * ({@code token --json}). A restart (--chaos) reuses it: an enrolled rack ignores the token.
     */
    private StartLine rackCommand(String name, int consolePort, String[] creds, List<String> extra) throws IOException {
        Cli t = operator("token", "--rack", name, "--labels", DemoRollouts.ROLE + "=" + role(name), "--ttl", "10m", "--json");
        if (t.code() != 0) {
            throw new IOException("no enrolment token for " + name + ": " + t.err().strip());
        }
        JsonNode token = JSON.readTree(t.out());
        JvmLaunch.Rack r = new JvmLaunch.Rack(name, true, data.resolve("racks").resolve(name), null, consolePort, creds[0], creds[1],
                "127.0.0.1:" + ports.snake(), token.path("token").asText(), token.path("caHash").asText(), 1000, null, null);
        StartLine line = JvmLaunch.rack(layout, r, extra, env);
        rollouts.pin(r.data()); // written before the rack's first start: it never runs without the publisher key
        return line;
    }

    /** @return a demo rack's role label: {@code core} or {@code edge} */
    private static String role(String rack) {
        return rack.startsWith("edge") ? "edge" : "core";
    }

    /**
     * One rollout per patch: the core role's racks share core.yaml (selector {@code role=core});
     * each edge runs its own rendering of edge.yaml (its ISO port), so with one edge the selector
     * is {@code role=edge} and with several each edge is its own rollout, by name.
     */
    private List<DemoRollouts.Plan> rolloutPlans(List<Path> jars, List<String> edgeNames) {
        Path basic = jars.get(2);
        Path iso = jars.get(3);
        Path json = jars.get(4);
        List<DemoRollouts.Plan> plans = new ArrayList<>();
        plans.add(new DemoRollouts.Plan(DemoRollouts.ROLE + "=core", List.of(basic, json), data.resolve("patches/core.yaml")));
        for (String name : edgeNames) {
            plans.add(new DemoRollouts.Plan(edgeNames.size() == 1 ? DemoRollouts.ROLE + "=edge" : name, List.of(basic, iso, json),
                    data.resolve("patches/" + name + ".yaml")));
        }
        return plans;
    }

    /** What an in-process command printed. */
    record Cli(int code, String out, String err) {
    }

    /** Runs an operator command in this JVM against the demo's Mixer (its data folder and API). */
    private Cli operator(String... args) {
        return operator(List.of(args));
    }

    private Cli operator(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--data", data.resolve("mixer").toString(), "--api", "https://127.0.0.1:" + ports.api()));
        return cli(all);
    }

    /** Runs a CLI command in this JVM, its output captured. */
    private Cli cli(List<String> all) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new Console(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Waits until the Mixer's registry shows the rack online (its Snake is up), polling {@code racks --json}. */
    private void awaitOnline(Child rack) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!rack.alive()) {
                throw new IOException(rack.name() + " ended before its Snake was online (see " + rack.log() + ")");
            }
            Cli racks = operator("racks", "--json");
            last = racks.code() == 0 ? racks.out().strip() : racks.err().strip();
            if (racks.code() == 0) {
                for (JsonNode r : JSON.readTree(racks.out()).path("racks")) {
                    if (rack.name().equals(r.path("name").asText()) && "online".equals(r.path("state").asText())) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new IOException(rack.name() + "'s Snake was not online within " + START.toSeconds() + " s; the Mixer says: " + last);
    }

    /**
     * Waits until the racks read their input wires: a durable consumer on {@code auth.requests}
     * (core) and on {@code auth.responses.<edge>} (each edge), as the patches link them.
     */
    private void awaitWires(List<String> edges) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        SSLContext tls;
        try {
            tls = TlsContexts.verifyingServer(Pem.readCertificate(natsCa()), "a NATS server");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the demo's NATS CA " + natsCa() + ": " + e.getMessage(), e);
        }
        try (Connection c = Nats.connect(new io.nats.client.Options.Builder().servers(nats.urls().toArray(String[]::new)).sslContext(tls)
                .authHandler(new CredsAuthHandler(readerCreds())).connectionName("fluxrig-demo").noReconnect()
                // jnats's default 2 s for connect and TLS handshake was too short on a saturated machine (load 50 on 2 cores)
                .connectionTimeout(Duration.ofSeconds(20)).errorListener(new io.nats.client.ErrorListener() { }).build())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            List<String> wires = new ArrayList<>(List.of("auth.requests"));
            edges.forEach(e -> wires.add("auth.responses." + e));
            for (String wire : wires) {
                while (!reading(jsm, "fluxrig.wire." + wire)) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("no rack reads wire " + wire + " within " + START.toSeconds() + " s (see " + data.resolve("logs") + ")");
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** @return whether a durable consumer reads {@code subject}; false too while JetStream does not answer (a cluster electing a leader) */
    private static boolean reading(JetStreamManagement jsm, String subject) {
        try {
            for (String stream : jsm.getStreamNames(subject)) {
                for (ConsumerInfo ci : jsm.getConsumers(stream)) {
                    if (subject.equals(ci.getConsumerConfiguration().getFilterSubject())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (JetStreamApiException | IOException e) {
            return false;
        }
    }

    /**
     * Prints what each core handled, read from its metrics, and writes it to {@code cores.json}; a core
     * whose metrics cannot be read is said, and the verdict does not depend on it.
     */
    private void printCoreCounts(List<DemoCores.Core> cores) throws InterruptedException {
        try {
            List<DemoCores.Count> counts = DemoCores.counts(cores, data.resolve("racks"));
            DemoCores.write(data.resolve(DemoCores.COUNTS_FILE), counts);
            console.out().println("cores sharing " + DemoCores.REQUESTS + " (from each core's /metrics; " + data.resolve(DemoCores.COUNTS_FILE) + "):");
            DemoCores.lines(counts).forEach(l -> console.out().println("  " + l));
        } catch (IOException e) {
            say("the cores' counts could not be read: " + e.getMessage());
        }
    }

    /** "demo OK: ..." only when every request was answered, none timed out, mismatched, late or lost. */
    private boolean verdict(SendFleet.Result r) {
        boolean ok = r.sent() == o.load.count() && r.answered() == r.sent() && r.timedOut() == 0 && r.mismatched() == 0 && r.late() == 0
                && r.lost() == 0 && r.duplicated() == 0;
        verdict = ok ? "demo OK: all " + r.sent() + " requests answered on their own connections, 0 timed out, 0 mismatched, 0 lost"
                : "demo FAILED: sent " + r.sent() + " of " + o.load.count() + ", answered " + r.answered() + ", timed out " + r.timedOut()
                        + ", mismatched " + r.mismatched() + ", late " + r.late() + ", lost " + r.lost() + ", duplicated " + r.duplicated();
        return ok;
    }
}
