package io.fluxrig.cli.launch;

import java.io.IOException;
import java.io.Reader;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Refuses to start a rack or the Mixer whose listening ports, as its configuration files set them,
 * are taken. Most often the same process is already running in that folder: a second one would
 * clean the first's bundle cache and temporary folder at its start, and a second rack of the same
 * name would share its wires' durable consumers and take replies meant for the first one's
 * terminals. Otherwise another program holds the port, and the process would start without that
 * listener. Checked by binding as the process will (address reuse on, so a port a stopped process
 * left in TIME_WAIT counts as free), by the launcher before and after an option changes the file
 * and before anything else in the folder is written or emptied. Stateless.
 */
final class FreePorts {
    /**
     * A listener the process opens, as its configuration file says.
     *
     * @param what what listens there, for the message (e.g. "the Web Console")
     * @param file the configuration file that sets it
     * @param hostKey the key of its bind address (absent: every address)
     * @param portKey the key of its port (absent or not a port: not checked; the process reports it)
     */
    record Listener(String what, Path file, String hostKey, String portKey) {
    }

    private FreePorts() {
    }

    /**
     * @param who the process, for the message ("this rack", "the Mixer")
     * @param data its folder
     * @throws IOException naming the listener, its address, the key and file that set it, when a port is taken
     */
    static void require(String who, Path data, List<Listener> listeners) throws IOException {
        for (Listener l : listeners) {
            if (!Files.exists(l.file())) {
                continue; // a first start: nothing set yet
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(l.file())) {
                p.load(r);
            }
            String host = p.getProperty(l.hostKey(), "").strip();
            int port = port(p.getProperty(l.portKey()));
            if (port > 0 && !free(host, port)) {
                throw new IOException(l.what() + "'s port " + port + (host.isEmpty() ? " (every address)" : " on " + host) + " is in use ("
                        + l.portKey() + " in " + l.file() + "): is " + who + " already running in " + data
                        + "? Stop it first; or, if another program holds the port, set another one there");
            }
        }
    }

    private static int port(String value) {
        try {
            int port = value == null ? 0 : Integer.parseInt(value.strip());
            return port <= 65535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean free(String host, int port) throws IOException {
        InetSocketAddress at = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (at.isUnresolved() || !at.getAddress().isAnyLocalAddress() && NetworkInterface.getByInetAddress(at.getAddress()) == null) {
            return true; // not an address of this machine: not this check's to judge, the process reports it
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(at);
            return true;
        } catch (BindException taken) {
            return false;
        }
    }
}
