package io.fluxrig.iso8583.gear;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The form in which an {@code iso8583.server} parks its listening socket and open connections with
 * the rack's {@link io.fluxrig.gear.Handover} service while its bundle is replaced, and reads them
 * back in the next instance: JDK types only (the parking revision's classes die with it).
 *
 * <p>State map: {@value #FORMAT} (Integer, this class's {@link #VERSION}), {@value #LISTENER}
 * ({@link ServerSocket}) and {@value #CONNECTIONS}, a list of maps with {@value #ID} (String,
 * {@code <instance>/<generation>-<n>}: kept, so a response still travelling for the connection
 * finds it), {@value #SOCKET} ({@link Socket}), {@value #PENDING} (byte[]: read and not framed),
 * {@value #HEADER} (byte[]: the last request's header) and {@value #UNANSWERED} (Long).
 *
 * @param listener the bound listening socket
 * @param connections the open connections, each with what its reader had
 */
record ParkedServer(ServerSocket listener, List<Connection> connections) {
    static final String FORMAT = "format";
    static final int VERSION = 1;
    static final String LISTENER = "listener";
    static final String CONNECTIONS = "connections";
    static final String ID = "id";
    static final String SOCKET = "socket";
    static final String PENDING = "pending";
    static final String HEADER = "header";
    static final String UNANSWERED = "unanswered";

    /** One parked connection. */
    record Connection(String id, Socket socket, byte[] pending, byte[] header, long unanswered) {
    }

    /** @return the rack's key for an instance's parked server: type, instance and configured address */
    static String key(String instance, ServerSettings settings) {
        return ServerGear.TYPE + "/" + instance + "@" + settings.host() + ":" + settings.port();
    }

    /** @return the state map to park (JDK types only) */
    Map<String, Object> state() {
        List<Map<String, Object>> conns = new ArrayList<>();
        for (Connection c : connections) {
            conns.add(Map.of(ID, c.id(), SOCKET, c.socket(), PENDING, c.pending(), HEADER, c.header(), UNANSWERED, c.unanswered()));
        }
        Map<String, Object> state = new HashMap<>();
        state.put(FORMAT, VERSION);
        state.put(LISTENER, listener);
        state.put(CONNECTIONS, List.copyOf(conns));
        return state;
    }

    /** @return what the rack closes when nobody claims it: the listener and every connection's socket */
    List<Closeable> resources() {
        List<Closeable> all = new ArrayList<>();
        all.add(listener);
        connections.forEach(c -> all.add(c.socket()));
        return all;
    }

    /**
     * Reads a claimed state map.
     *
     * @param state what {@link #state()} made (perhaps in an earlier revision of this bundle)
     * @return the parked server
     * @throws IllegalArgumentException when the map is not of this format (its resources are then closed)
     */
    static ParkedServer of(Map<String, Object> state) {
        try {
            if (!Integer.valueOf(VERSION).equals(state.get(FORMAT))) {
                throw new IllegalArgumentException("parked state of format " + state.get(FORMAT) + ", this gear reads " + VERSION);
            }
            List<Connection> conns = new ArrayList<>();
            for (Object o : (List<?>) state.get(CONNECTIONS)) {
                Map<?, ?> m = (Map<?, ?>) o;
                conns.add(new Connection((String) m.get(ID), (Socket) m.get(SOCKET), (byte[]) m.get(PENDING), (byte[]) m.get(HEADER),
                        (Long) m.get(UNANSWERED)));
            }
            return new ParkedServer((ServerSocket) state.get(LISTENER), conns);
        } catch (RuntimeException e) {
            closeAll(state);
            throw new IllegalArgumentException("cannot take over the parked server: " + e.getMessage(), e);
        }
    }

    /** Closes every socket in a state map, whatever its shape (a state this instance does not go on with). */
    static void closeAll(Map<String, Object> state) {
        for (Object v : state.values()) {
            if (v instanceof Closeable c) {
                closeQuietly(c);
            } else if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        m.values().stream().filter(Closeable.class::isInstance).forEach(c -> closeQuietly((Closeable) c));
                    }
                }
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing what nobody goes on with: nothing left to do
        }
    }
}
