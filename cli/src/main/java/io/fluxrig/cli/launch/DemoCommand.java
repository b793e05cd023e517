package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.iso.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code demo}: the payment-switch demo's options; {@link Demo} runs it. */
@Command(name = "demo", description = {"the payment-switch demo: NATS, the issuer, the Mixer, racks edge and core, a terminal fleet",
        "Starts NATS (JetStream), the simulated issuer, the Mixer, and racks edge and core (base racks enrolled with the Mixer, "
                + "which deploys their gear bundles and patches), sends N authorisations from C terminals (W requests "
                + "outstanding per terminal, as a POS terminal has), prints the summary, both consoles and one verdict line "
                + "('demo OK: ...' or 'demo FAILED: ...'), and stops everything. Exit 0 only when every request was answered "
                + "and paired with its own response.",
        "Ports: NATS 14222, issuer 18080, ISO 8583 8583, consoles 8181 and 8182, Mixer Snake 14443 and API/console 18443 "
                + "(--base-port P uses P..P+6). Data (NATS store, Mixer, racks, patches, logs, console.txt): ./data/demo; all "
                + "but console.txt is made afresh each run. Every process started is recorded in DATA/pids; the next run, or "
                + "--stop, stops what an interrupted or --keep run left.",
        "--chaos restarts rack core, then nats-server, during the load; a request the core cannot answer within 4 s is "
                + "declined 96 by the edge, inside the terminal's 5 s. --slow / --fail: the issuer holds those cards' requests "
                + "(--slow-ms) or answers them HTTP 500, so the core declines them 96.",
        JvmLaunch.ENVIRONMENT + " FLUXRIG_CONTEXT and FLUXRIG_API_TOKEN are ignored: the demo's operator commands "
                + "talk to its own Mixer."})
public final class DemoCommand implements Callable<Integer> {
    /** The first card iso send's terminal T0000001 presents (its generator is seeded). */
    static final String BLOCKED_PAN = "4761735455281230";

    /** --count, --connections, --window (one request outstanding per terminal, as a POS terminal has), --rate. */
    @Mixin
    final LoadOptions load = new LoadOptions(1);
    @Option(names = "--keep", description = "leave everything running at the end")
    boolean keep;
    @Option(names = "--stop", description = "only stop what an earlier run left running")
    boolean stop;
    @Option(names = "--chaos", description = "restart rack core, then nats-server, during the load")
    boolean chaos;
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/demo", description = "the demo's data folder (default ./${DEFAULT-VALUE})")
    Path data;
    /** --base-port, or each of the seven ports. */
    @Mixin
    DemoPortOptions portOptions;
    @Option(names = "--limit", paramLabel = "MINOR", defaultValue = "100000", description = "the issuer's amount limit, minor units (default ${DEFAULT-VALUE})")
    long limit;
    @Option(names = "--block", paramLabel = "PAN,...", defaultValue = BLOCKED_PAN, description = "cards the issuer declines 05 (default ${DEFAULT-VALUE}; \"\" for none)")
    String block;
    @Option(names = "--slow", paramLabel = "PAN,...", description = "cards the issuer answers only after --slow-ms")
    String slow;
    @Option(names = "--slow-ms", paramLabel = "MS", description = "the issuer's delay for --slow cards (default 5000)")
    Long slowMs;
    @Option(names = "--fail", paramLabel = "PAN,...", description = "cards the issuer answers HTTP 500")
    String fail;
    @Option(names = "--otlp", paramLabel = "URL", description = "both racks trace to this OpenTelemetry collector "
            + "(OTLP/HTTP base URL, e.g. http://127.0.0.1:4318); the issuer then logs each request's traceparent")
    String otlp;
    @Option(names = "--cluster", paramLabel = "N", defaultValue = "1", description = "NATS servers: 1 (default) or a JetStream "
            + "cluster of 3 to 7 (wires and the Mixer's buckets at 3 replicas). Node i (0-based) uses client port NATS+10+i, "
            + "route port NATS+20+i and monitoring port NATS+30+i (NATS: --nats-port, or --base-port)")
    int cluster;
    @Option(names = "--edges", paramLabel = "M", defaultValue = "1", description = "edge racks, 1 (default) to 8: edge, edge2..edgeM, "
            + "each with its own share of the terminals (--connections and --count split across them) and its own reply wire "
            + "auth.responses.<name>; edge k (k >= 2) listens on ISO port ISO+50+k-2 and its console on EDGE_CONSOLE+60+k-2")
    int edges;
    @Option(names = "--cores", paramLabel = "N", defaultValue = "1", description = "core racks, 1 (default) to 8: core, core2..coreN, "
            + "all with the core patch, whose consumer group makes them share the auth.requests durable consumer (each request "
            + "goes to one of them); what each handled is printed at the end (from its metrics) and written to DATA/cores.json. "
            + "Core k (k >= 2) has its console on CORE_CONSOLE+70+k-2")
    int cores;
    @Spec
    CommandSpec spec;

    private final Console console;

    DemoCommand(Console console) {
        this.console = console;
    }

    /**
     * The demo's ports.
     *
     * @param nats NATS
     * @param issuer the issuer's HTTP port
     * @param iso the edge rack's ISO 8583 port
     * @param edgeConsole the edge rack's Web Console
     * @param coreConsole the core rack's Web Console
     * @param snake the Mixer's Snake
     * @param api the Mixer's operator API and console
     */
    record Ports(int nats, int issuer, int iso, int edgeConsole, int coreConsole, int snake, int api) {
        List<Integer> all() {
            return List.of(nats, issuer, iso, edgeConsole, coreConsole, snake, api);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Ports ports = portOptions.ports(spec);
        load.check(spec);
        check(limit >= 0, "--limit " + limit + " must be 0 or more");
        check(cluster == 1 || (cluster >= 3 && cluster <= 7), "--cluster " + cluster
                + ": use 1 (one server) or 3 to 7 (two servers lose their JetStream majority when one stops)");
        check(edges >= 1 && edges <= 8, "--edges " + edges + " must be 1 to 8");
        check(load.connections() >= edges, "--connections " + load.connections() + " must be at least --edges " + edges
                + " (each edge gets its own terminals)");
        check(ports.iso() + 50 + edges <= 65535 && ports.edgeConsole() + 60 + edges <= 65535, "--edges " + edges
                + ": the edges' ports run past 65535");
        check(cores >= 1 && cores <= 8, "--cores " + cores + " must be 1 to 8");
        check(ports.coreConsole() + 70 + cores <= 65535, "--cores " + cores + ": the cores' ports run past 65535");
        check(cluster == 1 || ports.nats() + 30 + cluster <= 65535, "--cluster " + cluster + ": ports above NATS port "
                + ports.nats() + " run past 65535");
        if (otlp != null) {
            String problem = TelemetryConfigFile.problem(otlp);
            check(problem == null, problem);
        }
        Demo demo = new Demo(this, ports, Layout.locate(console.env()), console);
        return demo.run() ? Exit.OK : Exit.FAILED;
    }

    /**
     * One edge rack of the demo.
     *
     * @param name {@code edge}, {@code edge2}, ...
     * @param iso its terminals' ISO 8583 port
     * @param console its Web Console port
     */
    record Edge(String name, int iso, int console) {
    }

    /** @return the edge racks: {@code edge} on the ISO and edge console ports, edge k (k >= 2) on ISO+50+k-2 and EDGE_CONSOLE+60+k-2 */
    static List<Edge> edges(Ports ports, int edges) {
        List<Edge> l = new java.util.ArrayList<>(List.of(new Edge("edge", ports.iso(), ports.edgeConsole())));
        for (int k = 2; k <= edges; k++) {
            l.add(new Edge("edge" + k, ports.iso() + 50 + k - 2, ports.edgeConsole() + 60 + k - 2));
        }
        return List.copyOf(l);
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }
}
