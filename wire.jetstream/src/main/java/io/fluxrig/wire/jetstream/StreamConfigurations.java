package io.fluxrig.wire.jetstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a wire wait for the stream configurations ConfigAdmin already holds. A {@code fluxrig.wire.stream}
 * configuration reaches the transport asynchronously (ConfigAdmin's event, then SCR activates a
 * {@link WireStreamDefinition} and binds it), while a patch naming the wire may be applied at once:
 * a wire subscribed or placed in that gap would run with the default stream and consumer settings
 * (an ordered wire delivering several messages at a time). {@link #awaitLive} closes that gap: it
 * returns once every such configuration in ConfigAdmin is bound with the same properties, or after
 * {@code max} (a configuration SCR could not activate, e.g. an invalid value, is never bound: its
 * error is in the log, and the wire goes on with what is bound).
 *
 * <p>Threading: thread-safe. {@link #bound}/{@link #unbound} run on SCR's threads; {@link #awaitLive}
 * on the caller's (a subscribing patch, the publisher placing a wire), which it may block up to
 * {@code max}; it never blocks when ConfigAdmin is absent or holds no unbound stream configuration.
 */
final class StreamConfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConfigurations.class);
    static final String FACTORY_PID = "fluxrig.wire.stream";
    private static final String COMPONENT_ID = "component.id";

    private final Map<String, Map<String, Object>> boundByPid = new HashMap<>(); // guarded by this
    private long changes; // guarded by this: counts binds, so a waiter misses none
    private volatile ConfigurationAdmin configAdmin; // written under this object's lock

    synchronized void configAdmin(ConfigurationAdmin admin) {
        configAdmin = admin;
    }

    /** Forgets {@code admin} unless another ConfigAdmin was bound since (a greedy reference binds the new one first). */
    synchronized void unbindConfigAdmin(ConfigurationAdmin admin) {
        if (configAdmin == admin) {
            configAdmin = null;
        }
    }

    synchronized void bound(Map<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        if (pid != null) {
            boundByPid.put(pid.toString(), Map.copyOf(properties));
            changes++;
            notifyAll();
        }
    }

    synchronized void unbound(Map<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        Map<String, Object> current = pid == null ? null : boundByPid.get(pid.toString());
        // The same component (configuration instance) only: SCR unbinds the old one before it binds its successor.
        if (current != null && Objects.equals(current.get(COMPONENT_ID), properties.get(COMPONENT_ID))) {
            boundByPid.remove(pid.toString());
        }
    }

    /**
     * @param wire the wire about to be used (for the log line)
     * @param max how long to wait at most
     * @return true when every stream configuration is bound as ConfigAdmin holds it
     */
    boolean awaitLive(String wire, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long seen;
            synchronized (this) {
                seen = changes;
            }
            List<String> pending = pending(); // asks ConfigAdmin without holding this object's lock
            if (pending.isEmpty()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("wire {}: stream configuration(s) {} not active after {} ms (invalid? see the log); going on with the active ones",
                        wire, pending, max.toMillis());
                return false;
            }
            synchronized (this) {
                try {
                    if (changes == seen) { // no bind since the check: wait for one (or the limit)
                        wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** @return the PIDs of stream configurations in ConfigAdmin not (yet) bound with their current properties */
    List<String> pending() {
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            return List.of();
        }
        Map<String, Dictionary<String, Object>> held = HeldStreamConfigurations.of(admin);
        List<String> pending = new ArrayList<>();
        synchronized (this) {
            held.forEach((pid, props) -> {
                if (!matches(props, boundByPid.get(pid))) {
                    pending.add(pid);
                }
            });
        }
        pending.sort(null);
        return pending;
    }

    /** SCR gives the component every public configuration property (names not starting with '.'). */
    private static boolean matches(Dictionary<String, Object> config, Map<String, Object> bound) {
        if (bound == null) {
            return false;
        }
        Map<String, Object> expected = new HashMap<>();
        for (Enumeration<String> keys = config.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.startsWith(".")) {
                expected.put(k, config.get(k));
            }
        }
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), bound.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
