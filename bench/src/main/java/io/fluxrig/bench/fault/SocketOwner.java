package io.fluxrig.bench.fault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which local process holds one end of a loopback TCP connection, read from Linux {@code /proc}
 * ({@code /proc/net/tcp} and {@code tcp6} for the socket's inode, {@code /proc/<pid>/fd} for its holder; the
 * processes are the caller's own, so no extra rights are needed). How {@link RouteProxy} knows
 * the dialer of a TLS route, whose CONNECT line it cannot read.
 *
 * <p>Stateless; any thread.
 */
final class SocketOwner {
    private SocketOwner() {
    }

    /**
     * @param pid the process
     * @param localPort the port of the end it would hold (the dialer's source port)
     * @param remotePort the port that end is connected to (the proxy's listening port)
     * @return whether {@code pid} holds the IPv4 socket {@code 127.0.0.1:localPort -> :remotePort};
     *     false when {@code /proc} cannot tell (not Linux, the process gone)
     */
    static boolean holds(long pid, int localPort, int remotePort) {
        String inode = inode(localPort, remotePort);
        if (inode == null) {
            return false;
        }
        String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return true;
                    }
                } catch (IOException e) {
                    // the descriptor closed while listed
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static String inode(int localPort, int remotePort) {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        // IPv4 sockets (nats-server's) in tcp, a JVM's dual-stack sockets (::ffff:127.0.0.1) in tcp6
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    return f[9];
                }
            }
        }
        return null;
    }
}
