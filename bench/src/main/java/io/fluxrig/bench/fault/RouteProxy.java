package io.fluxrig.bench.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of one nats-server's route port, which a fault run can cut: the way to
 * partition a local cluster without root rights (no network namespaces, no iptables). Every route
 * connection to the node comes through it ({@code LocalNatsCluster} with {@code routeVia}).
 *
 * <p>A route connection has a dialer and an acceptor. The acceptor is this proxy's node. On a
 * plaintext route the dialer names itself in its first line, the route protocol's {@code CONNECT
 * {... "name":"<server id>" ...}}, which the proxy reads while forwarding. On a TLS route the
 * proxy passes the bytes on unread (mutual TLS end to end between the servers; it holds no key),
 * so the dialer is known by its process instead: the one holding the connection's other end
 * ({@link SocketOwner}, Linux {@code /proc}). {@link #cut(Set, Set, boolean)} then closes, and
 * keeps refusing, the connections that cross the cut: all of them when this proxy's own node is
 * isolated, else those dialled by an isolated server. With one proxy per node and every node
 * isolated on all of them, the node has no route left in either direction.
 *
 * <p>Threading: one accept thread, two pump threads per connection (a handful of route
 * connections); {@link #cut} and {@link #heal} may be called from any thread. The proxy owns its
 * sockets and threads; {@link #close()} ends them.
 */
public final class RouteProxy implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    private final String node;
    private final int target;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile Set<String> isolatedDialers = Set.of();
    private volatile Set<Long> isolatedProcesses = Set.of();
    private volatile boolean isolated;

    /** One proxied route connection. */
    private final class Link {
        final Socket in;
        final Socket out;
        volatile String dialer;

        Link(Socket in, Socket out) {
            this.in = in;
            this.out = out;
        }

        boolean crossesCut() {
            return isolated || (dialer != null && isolatedDialers.contains(dialer)) || dialledByIsolatedProcess(in);
        }

        void close() {
            links.remove(this);
            closeQuietly(in);
            closeQuietly(out);
        }
    }

    /**
     * @param node the name of the node behind it (for thread names and messages)
     * @param listen the port peers dial (on 127.0.0.1)
     * @param target the node's route port (on 127.0.0.1)
     */
    public RouteProxy(String node, int listen, int target) throws IOException {
        this.node = node;
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen));
        Thread t = new Thread(this::accept, "route-proxy-" + node);
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Cuts the route connections that cross a partition, now and until {@link #heal()}.
     *
     * @param dialers the server ids of the isolated servers: their connections to this node are cut
     * @param self whether this proxy's own node is isolated: every connection to it is cut
     */
    public void cut(Set<String> dialers, boolean self) {
        cut(dialers, Set.of(), self);
    }

    /**
     * Cuts the route connections that cross a partition, now and until {@link #heal()}.
     *
     * @param dialers the server ids of the isolated servers (read from a plaintext route's CONNECT)
     * @param processes the process ids of the isolated servers (how a TLS route's dialer is known)
     * @param self whether this proxy's own node is isolated: every connection to it is cut
     */
    public void cut(Set<String> dialers, Set<Long> processes, boolean self) {
        isolatedDialers = Set.copyOf(dialers);
        isolatedProcesses = Set.copyOf(processes);
        isolated = self;
        for (Link l : links) {
            if (l.crossesCut()) {
                l.close();
            }
        }
    }

    /** Lets every route connection through again (the servers dial again on their own). */
    public void heal() {
        isolated = false;
        isolatedDialers = Set.of();
        isolatedProcesses = Set.of();
    }

    /** @return route connections open through this proxy now */
    public int open() {
        return links.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (isolated || dialledByIsolatedProcess(in)) {
                closeQuietly(in);
                continue;
            }
            Socket out = new Socket();
            try {
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(in); // the node is down: the dialer retries
                closeQuietly(out);
                continue;
            }
            Link l = new Link(in, out);
            links.add(l);
            start(() -> pump(l, in, out, true), "route-proxy-" + node + "-in");
            start(() -> pump(l, out, in, false), "route-proxy-" + node + "-out");
        }
    }

    /** Copies one direction; the dialer's direction also reads the dialer's name from its CONNECT line. */
    private void pump(Link l, Socket from, Socket to, boolean fromDialer) {
        byte[] buf = new byte[64 * 1024];
        StringBuilder first = fromDialer ? new StringBuilder() : null;
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            for (int n; (n = i.read(buf)) > 0; ) {
                if (first != null) {
                    first.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    Matcher m = NAME.matcher(first);
                    if (m.find()) {
                        l.dialer = m.group(1);
                        first = null;
                    } else if (first.length() > 8192) {
                        first = null; // not a route CONNECT: forwarded, never identified
                    }
                    if (l.crossesCut()) {
                        break;
                    }
                }
                o.write(buf, 0, n);
                o.flush();
            }
        } catch (IOException e) {
            // either side closed, or the cut closed both
        } finally {
            l.close();
        }
    }

    /** Whether the connection {@code in} (accepted here) was dialled by an isolated process. */
    private boolean dialledByIsolatedProcess(Socket in) {
        Set<Long> pids = isolatedProcesses;
        if (pids.isEmpty()) {
            return false;
        }
        for (long pid : pids) {
            if (SocketOwner.holds(pid, in.getPort(), in.getLocalPort())) {
                return true;
            }
        }
        return false;
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Link l : links) {
            l.close();
        }
    }
}
