package io.fluxrig.mixer.store;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mixer's view of its NATS connection, fed by jnats connection events: a log line on each
 * change and a snapshot for health and readiness data. While NATS is down the registry cannot be
 * read or written (Snake requests answer 503 with the reason; racks retry); jnats reconnects by
 * itself and the KV buckets, stored by the server, are intact when it is back. Thread-safe
 * (events arrive on jnats' threads; readers take a consistent snapshot under the lock).
 */
public final class NatsHealth implements ConnectionListener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsHealth.class);
    private final String url;
    private boolean connected; // guarded by this
    private long since = System.currentTimeMillis(); // guarded by this
    private int outages; // guarded by this
    private final List<Runnable> onBack = new CopyOnWriteArrayList<>();

    NatsHealth(String url) {
        this.url = url;
    }

    synchronized void connected() {
        connected = true;
        since = System.currentTimeMillis();
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED -> {
                boolean was;
                synchronized (this) {
                    was = connected;
                    connected = false;
                    since = System.currentTimeMillis();
                    outages += was ? 1 : 0;
                }
                if (was) {
                    LOG.error("NATS at {} is unreachable: the rack registry, tokens and commands are unavailable "
                            + "(Snake requests answer 503); reconnecting", url);
                }
            }
            case CONNECTED -> connected(); // the first connection, before connect() returns
            case RECONNECTED, RESUBSCRIBED -> {
                boolean was;
                synchronized (this) {
                    was = connected;
                    if (!was) {
                        connected = true;
                        since = System.currentTimeMillis();
                    }
                }
                if (!was) {
                    LOG.info("NATS at {} is back: the rack registry is available again", url);
                    onBack.forEach(Runnable::run);
                }
            }
            case CLOSED -> {
                synchronized (this) {
                    connected = false;
                    since = System.currentTimeMillis();
                }
            }
            default -> {
                // discovered servers, lame duck mode: no change of availability
            }
        }
    }

    /**
     * Runs {@code action} each time the connection comes back after an outage (not on the first
     * connection). It runs on a jnats event thread: hand anything blocking to an executor.
     */
    public void onReconnect(Runnable action) {
        onBack.add(action);
    }

    /** @return whether NATS is connected now */
    public synchronized boolean isConnected() {
        return connected;
    }

    /** @return {@code {nats: connected|disconnected, natsUrl, since (ISO-8601), outages}} */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nats", connected ? "connected" : "disconnected");
        m.put("natsUrl", url);
        m.put("since", Instant.ofEpochMilli(since).toString());
        m.put("outages", outages);
        return m;
    }
}
