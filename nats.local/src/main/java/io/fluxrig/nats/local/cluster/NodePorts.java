package io.fluxrig.nats.local.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The three ports of one local nats-server, all on 127.0.0.1.
 *
 * @param client clients connect here ({@code -p})
 * @param cluster routes between the servers ({@code --cluster})
 * @param monitor HTTP monitoring, read for readiness ({@code -m}, {@code /jsz})
 */
public record NodePorts(int client, int cluster, int monitor) {

    public NodePorts {
        for (int p : new int[] {client, cluster, monitor}) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is not a port number (1-65535)");
            }
        }
    }

    /**
     * @return n nodes numbered from the given first ports: node i gets client + i, cluster + i, monitor + i
     */
    public static List<NodePorts> consecutive(int n, int client, int cluster, int monitor) {
        List<NodePorts> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(new NodePorts(client + i, cluster + i, monitor + i));
        }
        return l;
    }

    /** @return n nodes on ports that were free on 127.0.0.1 just now (all 3n distinct) */
    public static List<NodePorts> free(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<NodePorts> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(new NodePorts(hold(held), hold(held), hold(held)));
            }
            return l;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static int hold(List<ServerSocket> held) throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        return s.getLocalPort();
    }
}
