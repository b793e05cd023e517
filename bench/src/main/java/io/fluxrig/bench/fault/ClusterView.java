package io.fluxrig.bench.fault;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JetStream management through each node's own connection: a partitioned or paused node answers
 * "no leader" or nothing for a stream, so a new leader is asked of the others. The connections are
 * the runner's (it closes them); the runner's thread only.
 *
 * @param nodes node name → a connection to that node only
 */
record ClusterView(Map<String, Connection> nodes) {
    /** @return the management API through node {@code name}'s connection */
    JetStreamManagement via(String name) throws IOException {
        return nodes.get(name).jetStreamManagement();
    }

    /** @return the management APIs of every node but {@code not} (null: all) */
    List<JetStreamManagement> except(String not) throws IOException {
        List<JetStreamManagement> l = new ArrayList<>();
        for (String n : nodes.keySet()) {
            if (!n.equals(not)) {
                l.add(via(n));
            }
        }
        return l;
    }

    /** @return the stream that holds {@code subject}, asked until one node names it (60 s) */
    String awaitStream(String subject) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (JetStreamManagement m : except(null)) {
                try {
                    List<String> names = m.getStreamNames(subject);
                    if (!names.isEmpty()) {
                        return names.get(0);
                    }
                } catch (Exception e) {
                    // the cluster is electing: ask again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no stream holds " + subject);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until a node other than {@code not} names a stream leader other than {@code not} (null: any node, any leader). */
    String awaitLeader(String stream, String not, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (JetStreamManagement m : except(not)) {
                try {
                    ClusterInfo ci = m.getStreamInfo(stream).getClusterInfo();
                    String l = ci == null ? null : ci.getLeader();
                    if (l != null && !l.isEmpty() && !l.equals(not)) {
                        return l;
                    }
                    last = "leader " + l;
                } catch (Exception e) {
                    last = e.getMessage(); // no responders / timeout while the cluster elects
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("stream " + stream + " has no leader other than " + not + " within " + timeout + ": " + last);
    }

    /** @return "R3, leader n1, n2 current, n3 current, N messages", or why it could not be told */
    String replicas(String stream) {
        String last = "";
        for (int attempt = 0; attempt < 20; attempt++) {
            for (String node : nodes.keySet()) {
                try {
                    StreamInfo si = via(node).getStreamInfo(stream);
                    ClusterInfo ci = si.getClusterInfo();
                    StringBuilder b = new StringBuilder("R" + si.getConfiguration().getReplicas() + ", leader " + ci.getLeader());
                    for (Replica r : ci.getReplicas() == null ? List.<Replica>of() : ci.getReplicas()) {
                        b.append(", ").append(r.getName()).append(r.isCurrent() ? " current" : " behind").append(r.isOffline() ? " offline" : "");
                    }
                    return b.append(", ").append(si.getStreamState().getMsgCount()).append(" messages").toString();
                } catch (Exception e) {
                    last = e.getMessage();
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "stream info failed: " + last;
    }

    /** @return the messages the stream holds (its streams keep every message: 7 days, no limits), asked of any node that answers */
    long messages(String stream) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            for (JetStreamManagement m : except(null)) {
                try {
                    return m.getStreamInfo(stream).getStreamState().getMsgCount();
                } catch (Exception e) {
                    last = e.getMessage();
                }
            }
            Thread.sleep(200);
        }
        throw new IOException("no stream info for " + stream + ": " + last);
    }
}
