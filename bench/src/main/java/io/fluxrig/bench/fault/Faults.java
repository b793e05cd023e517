package io.fluxrig.bench.fault;

import io.fluxrig.nats.local.cluster.ClusterNode;
import io.fluxrig.nats.local.cluster.LocalNatsCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault families of {@link FaultRunner}, one trial's fault at a time: each hits the switch,
 * holds the fault ({@code hold} seconds for pause and partition, {@code down} seconds for what is
 * killed), undoes it and waits until everything hit is back. The cluster, the proxies and the
 * connections are the runner's; the runner's thread only.
 */
final class Faults {
    private static final Pattern SERVER_ID = Pattern.compile("\"server_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /**
     * What a fault did.
     *
     * @param target what it hit: a node, "n1, then n2", "all", a rack
     * @param electS seconds from the fault to a new stream leader (NaN: not asked)
     * @param recoveredS seconds from the fault until everything hit was back
     */
    record Hit(String target, double electS, double recoveredS) {
    }

    private final LocalNatsCluster cluster;
    private final List<RouteProxy> proxies;
    private final ClusterView view;
    private final String stream;
    private final DemoRacks racks;
    private final List<String> cores;
    private final List<String> edges;
    private final ToIntFunction<String> isoPort;
    private final int hold;
    private final int down;
    private final Consumer<String> say;

    /**
     * @param stream the stream of auth.requests, whose leader the NATS faults hit
     * @param isoPort an edge's terminal port
     */
    Faults(LocalNatsCluster cluster, List<RouteProxy> proxies, ClusterView view, String stream, DemoRacks racks, List<String> cores,
            List<String> edges, ToIntFunction<String> isoPort, int hold, int down, Consumer<String> say) {
        this.cluster = cluster;
        this.proxies = proxies;
        this.view = view;
        this.stream = stream;
        this.racks = racks;
        this.cores = List.copyOf(cores);
        this.edges = List.copyOf(edges);
        this.isoPort = isoPort;
        this.hold = hold;
        this.down = down;
        this.say = say;
    }

    /**
     * Hits the switch with the trial's fault and waits until everything hit is back.
     *
     * @param leader the stream leader when the trial began (the target of kill, kill2, pause, partition)
     */
    Hit inject(FaultSchedule.Trial t, String leader) throws Exception {
        long t0 = System.nanoTime();
        double elect = Double.NaN;
        String target = leader;
        ClusterNode node = cluster.node(leader);
        switch (t.family()) {
            case "kill" -> {
                say.accept("kill -9 " + leader + " (pid " + node.process().pid() + ")");
                node.kill();
                view.awaitLeader(stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(down * 1000L); // how long the node stays down
                node.start();
            }
            case "kill2" -> {
                say.accept("kill -9 " + leader + " (pid " + node.process().pid() + "), the first of two");
                node.kill();
                view.awaitLeader(stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(down * 1000L);
                node.start();
                cluster.awaitReady(Duration.ofSeconds(120));
                List<String> others = cluster.nodes().stream().map(ClusterNode::name).filter(n -> !n.equals(leader)).sorted().toList();
                String second = t.choose(others);
                ClusterNode n2 = cluster.node(second);
                String leaderNow = view.awaitLeader(stream, null, Duration.ofSeconds(60));
                say.accept(leader + " is back and current after " + seconds(secondsSince(t0)) + " s; kill -9 " + second + " (pid " + n2.process().pid()
                        + ")" + (second.equals(leaderNow) ? ", the stream leader now" : ", a follower now (leader " + leaderNow + ")"));
                n2.kill();
                if (second.equals(leaderNow)) {
                    view.awaitLeader(stream, second, Duration.ofSeconds(60));
                }
                Thread.sleep(down * 1000L);
                n2.start();
                target = leader + ", then " + second;
            }
            case "pause" -> {
                say.accept("SIGSTOP " + leader + " (pid " + node.process().pid() + ") for " + hold + " s");
                node.freeze();
                view.awaitLeader(stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(Math.max(0, hold * 1000L - (long) (elect * 1000))); // the pause's length
                node.unfreeze();
            }
            case "partition" -> {
                String id = serverId(node);
                say.accept("partition: " + leader + " (server id " + id + ") cut from its peers for " + hold + " s");
                for (int n = 0; n < proxies.size(); n++) {
                    proxies.get(n).cut(Set.of(id), Set.of(node.process().pid()), cluster.nodes().get(n).name().equals(leader));
                }
                view.awaitLeader(stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(Math.max(0, hold * 1000L - (long) (elect * 1000))); // the partition's length
                proxies.forEach(RouteProxy::heal);
                say.accept("partition healed");
            }
            case "restart" -> {
                target = "all";
                say.accept("kill -9 every node at once; all started again after " + down + " s");
                for (ClusterNode n : cluster.nodes()) {
                    n.kill();
                }
                Thread.sleep(down * 1000L); // how long the cluster stays down
                for (ClusterNode n : cluster.nodes()) {
                    n.start();
                }
                view.awaitLeader(stream, null, Duration.ofSeconds(120));
                elect = secondsSince(t0);
            }
            case "core", "edge" -> {
                boolean edge = t.family().equals("edge");
                target = t.choose(edge ? edges : cores);
                long pid = racks.kill(target);
                say.accept("kill -9 rack " + target + " (pid " + pid + "); started again after " + down + " s");
                Thread.sleep(down * 1000L); // how long the rack stays down
                racks.restart(target, edge ? isoPort.applyAsInt(target) : 0);
                return new Hit(target, Double.NaN, secondsSince(t0));
            }
            default -> throw new IllegalArgumentException("unknown family " + t.family());
        }
        cluster.awaitReady(Duration.ofSeconds(120));
        return new Hit(target, elect, secondsSince(t0));
    }

    static String serverId(ClusterNode node) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.ports().monitor() + "/varz"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = SERVER_ID.matcher(r.body());
        if (!m.find()) {
            throw new IOException(node.name() + ": no server_id in /varz");
        }
        return m.group(1);
    }

    static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** @return seconds with one decimal, or "-" for NaN */
    static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.1f", s);
    }
}
