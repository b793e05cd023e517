package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.gear.Handover;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.LoggerFactory;

/**
 * The {@code iso8583.server} gear: a TCP listener for ISO 8583 peers. Every frame becomes a
 * message on {@code out} with the frame's message bytes in {@code raw} and meta
 * {@value ServerConnection#META_CONN} (connection id {@code <instance>/<generation>-<n>}: n counts this
 * component's connections, generation is unique to the component),
 * {@value ServerConnection#META_REMOTE} and, with {@code header.bytes > 0},
 * {@value ServerConnection#META_HEADER} (hex). A message on {@code in} is written, framed, to
 * the connection its {@code iso.conn} names and to no other; for a closed or unknown connection it
 * is counted, logged and rejected (so it reaches the error port when one is linked).
 *
 * <p><b>Threading model: one thread per connection, bounded by {@code max.connections}, plus an
 * accept thread.</b> Chosen over an NIO selector because in-rack links are synchronous: the thread
 * that emits a request runs the whole chain (decode, rules, encode, and usually the write back).
 * A selector loop would have to hand every frame to a worker pool anyway, or one slow chain would
 * stall every connection; a thread per connection gives per-connection ordering and isolation
 * with blocking I/O that is easy to reason about, and ISO 8583 servers face tens to a few hundred
 * long-lived connections, not tens of thousands (Java 17 has no virtual threads). Known limit: a
 * peer that stops reading blocks the thread writing its response once the socket buffer is full.
 *
 * <p><b>Back-pressure.</b> When {@code emit} throws {@code BackPressureException} the frame is
 * counted as rejected and logged, and the connection stays open. Without {@code reject.dialect}
 * nothing is sent (the peer's own timeout and reversal logic applies). With it, the server decodes
 * the request in that dialect and writes a decline at once, on the reader's thread, to the same
 * connection ({@link BackPressureReply}: MTI + 10, echoed fields, 39 = 96), counted as declined; a
 * request that does not decode is dropped as before, with the reason logged.
 *
 * <p><b>Metrics.</b> While the rack's {@link MeterProvider} is bound and the gear is open,
 * {@link ServerMetrics} reports connections, frames, back-pressure and errors, and times each
 * answer from the request's hop in its path (a response derived from the request keeps it).
 *
 * <p><b>Replacing the bundle keeps the connections.</b> {@link #close} stops accepting and reading
 * at frame boundaries and parks the listening socket and the open connections (with their ids,
 * bytes read and not framed, last header and unanswered count) with the rack's {@link Handover}
 * service under {@code iso8583.server/<instance>@<host>:<port>}; {@link #open} of the next
 * instance claims them and goes on reading, so peers see no close. The deactivation reason
 * decides: when the bundle is stopping and stays persistently started (an update, a rollout) what
 * was parked stays for the next revision; for any other reason (configuration deleted or changed,
 * the bundle uninstalled or stopped by hand) this instance claims its key back and closes
 * everything at once, as without a hand-over (see {@link #startsAgain}). When the whole rack
 * stops, its hand-over service closes what is parked; unclaimed parked sockets are closed by the
 * rack after its grace period. Without the service, close closes.
 *
 * <p>{@link #open}/{@link #close} and the provider's bind/unbind are serialised by {@code this};
 * {@link #onMessage} reads the current {@link IsoServer} and {@link ServerMetrics} through volatile
 * fields and may run on any thread.
 */
@GearType(value = ServerGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "ISO 8583 TCP server: frames from peers on out (meta iso.conn), responses from in written back to their connection")
// Immediate: a delayed component is deactivated (reason unspecified) as soon as the rack ungets
// its service, before SCR says why; the hand-over needs the real reason (bundle stopped or not).
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + ServerGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + ServerGear.TYPE, immediate = true)
@Designate(ocd = ServerConfig.class, factory = true)
public class ServerGear implements Gear {
    static final String TYPE = "iso8583.server";

    private final ServerSettings settings;
    /** Numbers connections for the life of this component, so ids stay unique across close/open. */
    private final AtomicLong connectionNumbers = new AtomicLong();
    /**
     * This component's own prefix of its connection numbers (its creation time and a random part,
     * base 36). A new component (a bundle update, a changed configuration, a rack restart) numbers
     * from 1 again, and a response still travelling for a connection of the one before (a decision
     * on a wire) must find no connection rather than a new terminal's that got the same number.
     */
    private final String generation = Long.toString(System.currentTimeMillis(), 36)
            + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36), 36);
    private volatile IsoServer server;
    /** The rack's MeterProvider, or null; guarded by this. */
    private MeterProvider meters;
    /** This instance's name once opened; guarded by this. */
    private String instance;
    private volatile ServerMetrics metrics;
    /** The rack's hand-over service, or null (then close closes). */
    private volatile Handover handover;
    /** The key this instance parked its server under at its last close, or null; guarded by this. */
    private String parkedKey;

    /**
     * Checks and copies the configuration; binds nothing (the port is bound in {@link #open}).
     *
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute that is out of range
     */
    @Activate
    public ServerGear(ServerConfig config) {
        this.settings = ServerSettings.of(config);
    }

    /**
     * Goes on with the listener and connections an earlier instance of this gear parked with the
     * rack's hand-over service (a bundle update), or binds the port; then starts accepting.
     * Binding is local and fast; no peer is waited for.
     *
     * @throws UncheckedIOException when the port cannot be bound (named in the message)
     */
    @Override
    public synchronized void open(GearContext context) {
        close();
        instance = context.instance();
        ParkedServer parked = claim(ParkedServer.key(instance, settings));
        try {
            server = new IsoServer(settings, context, () -> generation + "-" + connectionNumbers.incrementAndGet(), parked);
            restartMetrics();
        } catch (IOException e) {
            if (parked != null) {
                ParkedServer.closeAll(parked.state());
            }
            throw new UncheckedIOException("iso8583.server " + context.instance() + ": cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** @return what an earlier instance (or this one, at its last close) parked under key, or null */
    private ParkedServer claim(String key) {
        Handover h = handover;
        Map<String, Object> state = h == null ? null : h.claim(key);
        if (key.equals(parkedKey)) {
            parkedKey = null;
        }
        if (state == null) {
            return null;
        }
        try {
            return ParkedServer.of(state);
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(ServerGear.class).warn("iso8583.server {}: {}; listening anew", instance, e.getMessage());
            return null;
        }
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        IsoServer s = server;
        if (s == null) {
            throw new GearRejection("iso8583.server " + context.instance() + ": not listening, response not delivered");
        }
        if (msg.raw() == null) {
            throw new GearRejection("iso8583.server " + context.instance() + ": response has no bytes in raw (encode it first)");
        }
        String connId = msg.meta(ServerConnection.META_CONN);
        ServerConnection c = s.connection(connId);
        if (c == null) {
            String why = "connection " + connId + " is closed or unknown: response " + msg.id() + " not delivered";
            s.undeliverable(why);
            throw new GearRejection("iso8583.server " + context.instance() + ": " + why);
        }
        try {
            c.write(header(msg), msg.raw().toByteArray());
            c.answered();
            s.wrote();
            ServerMetrics m = metrics;
            if (m != null) {
                long read = readAt(msg, context);
                if (read > 0) {
                    m.answered(FluxMsg.nowNanos() - read);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            String why = "response " + msg.id() + " to connection " + connId + " not delivered: " + e.getMessage();
            s.undeliverable(why);
            throw new GearRejection("iso8583.server " + context.instance() + ": " + why, e);
        }
    }

    /** @return when this server read the request the response answers (its hop in the path), or 0 when the path has none */
    private static long readAt(FluxMsg msg, GearContext context) {
        for (Hop h : msg.path()) {
            if (context.instance().equals(h.gear()) && context.rack().equals(h.rack())) {
                return h.ts();
            }
        }
        return 0;
    }

    /** The rack's MeterProvider came (or a replacement, bound before the old one goes). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMeters")
    synchronized void bindMeters(MeterProvider provider) {
        meters = provider;
        restartMetrics();
    }

    synchronized void unbindMeters(MeterProvider provider) {
        if (meters == provider) {
            meters = null;
            restartMetrics();
        }
    }

    /** Metrics on the bound provider for the open server, else none. Called holding this. */
    private void restartMetrics() {
        ServerMetrics old = metrics;
        metrics = meters == null || server == null ? null : new ServerMetrics(meters, instance, () -> server);
        if (old != null) {
            old.close();
        }
    }

    /** The response's own header when it carries a well-formed one of the right size, else null (echo the request's). */
    private byte[] header(FluxMsg msg) {
        if (settings.headerBytes() == 0) {
            return new byte[0];
        }
        String hex = msg.meta(ServerConnection.META_HEADER);
        if (hex == null || hex.length() != 2 * settings.headerBytes()) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the counters of the current binding (zeros when closed) */
    public ServerCounters counters() {
        IsoServer s = server;
        return s == null ? new ServerCounters(0, 0, 0, 0, 0, 0, 0, 0, 0) : s.counters();
    }

    /** @return the last refused or failed connections with their reasons, oldest first */
    public List<String> recentCloses() {
        IsoServer s = server;
        return s == null ? List.of() : s.recentCloses();
    }

    /** @return the bound port (useful with {@code port = 0}), or -1 when closed */
    public int localPort() {
        IsoServer s = server;
        return s == null ? -1 : s.localPort();
    }

    /** Parks the listener and the open connections with the rack's hand-over service, or, without one, closes them. */
    @Override
    public synchronized void close() {
        IsoServer s = server;
        server = null;
        restartMetrics();
        if (s == null) {
            return;
        }
        Handover h = handover;
        if (h == null) {
            s.stop();
            return;
        }
        ParkedServer parked = s.handOver();
        parkedKey = ParkedServer.key(instance, settings);
        h.park(parkedKey, parked.resources(), parked.state());
    }

    /**
     * Leaves what {@link #close} parked for the bundle's next revision when the bundle is stopping
     * and stays persistently started (an update, a rollout, FileInstall replacing the jar; when
     * the whole rack stops, its hand-over service closes what is parked); for any other reason
     * claims it back and closes it, so peers see the close at once instead of after the grace
     * period: the configuration was deleted or changed, or the bundle is stopping for good (its
     * jar was taken out of the gears folder, or it was stopped by hand).
     *
     * @param bundleContext this bundle's context (still valid while the bundle is stopping)
     * @param reason the DS deactivation reason
     */
    @Deactivate
    void deactivate(BundleContext bundleContext, int reason) {
        deactivated(reason, reason == ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED && startsAgain(bundleContext.getBundle()));
    }

    /**
     * The decision of {@link #deactivate}, with what the framework said about the bundle.
     *
     * @param reason the DS deactivation reason
     * @param bundleStartsAgain whether the bundle is stopping to be started again (an update)
     */
    synchronized void deactivated(int reason, boolean bundleStartsAgain) {
        close();
        boolean stopped = reason == ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED;
        if (stopped && bundleStartsAgain) {
            return;
        }
        Handover h = handover;
        Map<String, Object> state = parkedKey == null || h == null ? null : h.claim(parkedKey);
        parkedKey = null;
        if (state != null) {
            LoggerFactory.getLogger(ServerGear.class).info("iso8583.server {}: closing its listener and connections (deactivated: {})",
                    instance, stopped ? "bundle stopped for good (uninstalled or stopped by hand)" : reasonText(reason));
            ParkedServer.closeAll(state);
        }
    }

    /**
     * Whether the framework will start this bundle again after the stop under way. Bundle.update
     * and a transient stop (FileInstall stops transiently before it updates; a framework shutdown
     * stops transiently) keep the bundle persistently started; Bundle.uninstall and a plain
     * Bundle.stop record it as stopped before stopping it (OSGi core, Bundle.stop(0); Felix 7
     * does so in uninstallBundle), so the deactivating component sees the difference. A framework
     * without start levels (no answer) is taken to start it again: parked resources then wait for
     * the grace period.
     *
     * @param bundle this gear's bundle, stopping
     * @return false when the bundle is being uninstalled or stopped persistently
     */
    static boolean startsAgain(Bundle bundle) {
        try {
            BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
            return level == null || level.isPersistentlyStarted();
        } catch (IllegalArgumentException | IllegalStateException uninstalled) {
            return false;
        }
    }

    private static String reasonText(int reason) {
        return switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_DISABLED -> "component disabled";
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE -> "a reference went away";
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED -> "configuration changed";
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED -> "configuration deleted";
            case ComponentConstants.DEACTIVATION_REASON_DISPOSED -> "component disposed";
            default -> "reason " + reason;
        };
    }

    /** The rack's hand-over service came. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindHandover")
    void bindHandover(Handover service) {
        handover = service;
    }

    void unbindHandover(Handover service) {
        if (handover == service) {
            handover = null;
        }
    }
}
