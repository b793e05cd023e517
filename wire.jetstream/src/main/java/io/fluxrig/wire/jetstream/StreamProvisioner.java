package io.fluxrig.wire.jetstream;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a wire to its stream and makes sure the stream exists as configured, idempotently:
 * <ol>
 *   <li>a {@code fluxrig.wire.stream} configuration holding the wire: created when missing,
 *       compared field by field when present ({@link WireConfigException} naming each field
 *       that differs; the server's stream is never changed);
 *   <li>otherwise a stream already on the server that captures the wire's subject (another
 *       rack configured it), used as it is;
 *   <li>otherwise the wire's default stream {@code WIRE_<wire>} from the transport defaults.
 * </ol>
 * Results are cached per wire until {@link #forget} or a configuration change.
 *
 * <p>In a cluster: every management call goes through {@link LeaderWait}, so a call made while
 * a leader is elected (no responders, timeouts, 503) is retried for a few seconds and, if still
 * failing, reported as that transient error, never as a conflict. A stream whose replica count
 * on the server differs from this rack's configuration is used as it is (the server's stream is
 * never changed) and reported: a WARN log line and {@link #replicaReport()}, which the
 * transport's status shows. Placement of the replicas is the server's (its peers, tags).
 *
 * <p>Threading: thread-safe; two threads may provision the same stream at once (the server
 * arbitrates and both end up comparing against the same definition).
 */
final class StreamProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProvisioner.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;

    /** Where a wire lives and how it is consumed. */
    record Placement(String wire, String stream, String subject, ConsumerSpec consumer) {
    }

    /** How long one management call is retried while a JetStream leader is elected. */
    static final Duration LEADER_WAIT = Duration.ofSeconds(5);

    private final StreamSpec defaults;
    private final LeaderWait leaderWait;
    private final List<StreamSpec> configured = new CopyOnWriteArrayList<>();
    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    /** Stream name to "server has N, configured M", for streams whose replicas differ. */
    private final Map<String, String> replicaMismatches = new ConcurrentSkipListMap<>();

    /** How long a wire waits at most for a stream configuration ConfigAdmin holds to become active. */
    static final Duration CONFIG_WAIT = Duration.ofSeconds(2);

    private final StreamConfigurations configurations;

    StreamProvisioner(StreamSpec defaults) {
        this(defaults, new StreamConfigurations());
    }

    /** @param configurations the stream configurations a wire waits for before its settings are read */
    StreamProvisioner(StreamSpec defaults, StreamConfigurations configurations) {
        this(defaults, new LeaderWait(LEADER_WAIT), configurations);
    }

    StreamProvisioner(StreamSpec defaults, LeaderWait leaderWait) {
        this(defaults, leaderWait, new StreamConfigurations());
    }

    private StreamProvisioner(StreamSpec defaults, LeaderWait leaderWait, StreamConfigurations configurations) {
        this.defaults = defaults;
        this.leaderWait = leaderWait;
        this.configurations = configurations;
    }

    /** @return the streams whose replica count differs from this rack's configuration, e.g. {@code WIRE_x: server has 1, configured 3}; empty when none */
    String replicaReport() {
        return replicaMismatches.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    void add(StreamSpec spec) {
        configured.add(spec);
        placements.clear();
    }

    void remove(StreamSpec spec) {
        configured.remove(spec);
        placements.clear();
    }

    void forget(String wire) {
        placements.remove(wire);
    }

    /** @return the consumer settings of a wire, without asking the server */
    ConsumerSpec consumerSpec(String wire) {
        configurations.awaitLive(wire, CONFIG_WAIT);
        StreamSpec s = configuredFor(wire);
        return s != null ? s.consumer() : defaults.consumer();
    }

    private StreamSpec configuredFor(String wire) {
        for (StreamSpec s : configured) {
            if (s.holds(wire)) {
                return s;
            }
        }
        return null;
    }

    /** @return the wire's placement when it is already known (provisioned and not forgotten), else null; never asks the server */
    Placement cached(String wire) {
        return placements.get(wire);
    }

    Placement place(JetStreamManagement jsm, String wire) throws IOException, JetStreamApiException {
        Placement p = placements.get(wire);
        if (p != null) {
            return p;
        }
        String subject = Names.subject(wire);
        configurations.awaitLive(wire, CONFIG_WAIT);
        StreamSpec spec = configuredFor(wire);
        if (spec == null) {
            List<String> holders = leaderWait.call("streams of " + subject, () -> jsm.getStreamNames(subject));
            if (!holders.isEmpty()) {
                p = new Placement(wire, holders.get(0), subject, defaults.consumer());
                placements.put(wire, p);
                return p;
            }
            spec = defaults.named(Names.defaultStream(wire), wire);
        }
        StreamSpec wanted = spec;
        leaderWait.call("stream " + spec.name(), () -> {
            ensure(jsm, wanted);
            return null;
        });
        p = new Placement(wire, spec.name(), subject, spec.consumer());
        placements.put(wire, p);
        return p;
    }

    private void ensure(JetStreamManagement jsm, StreamSpec spec) throws IOException, JetStreamApiException {
        StreamInfo info = info(jsm, spec.name());
        if (info == null) {
            try {
                jsm.addStream(spec.toConfiguration());
                LOG.info("wire.jetstream: created stream {} for {}", spec.name(), spec.subjects());
                return;
            } catch (JetStreamApiException e) {
                if (LeaderWait.transientError(e)) {
                    throw e;
                }
                info = info(jsm, spec.name());
                if (info == null) {
                    throw new WireConfigException("stream " + spec.name() + " " + spec.subjects()
                            + " cannot be created: " + e.getErrorDescription() + overlap(jsm, spec));
                }
            }
        }
        reportReplicas(spec, info);
        List<String> diff = spec.differences(info.getConfiguration());
        if (!diff.isEmpty()) {
            String msg = "stream " + spec.name() + " conflicts with this rack's definition; " + String.join("; ", diff)
                    + " (not changed: reconcile the fluxrig.wire.stream configurations)";
            LOG.error("wire.jetstream: {}", msg);
            throw new WireConfigException(msg);
        }
    }

    /** Records (and logs once per change) a stream whose replicas on the server differ from the configuration. */
    private void reportReplicas(StreamSpec spec, StreamInfo info) {
        int server = info.getConfiguration().getReplicas();
        if (server == spec.replicas()) {
            if (replicaMismatches.remove(spec.name()) != null) {
                LOG.info("wire.jetstream: stream {} now has the configured {} replica(s)", spec.name(), server);
            }
            return;
        }
        String text = "server has " + server + ", configured " + spec.replicas();
        if (!text.equals(replicaMismatches.put(spec.name(), text))) {
            LOG.warn("wire.jetstream: stream {} replicas: {} (used as it is, not changed: the durability differs from"
                    + " the configuration; change the stream on the server or the fluxrig.wire.stream / default.replicas"
                    + " setting)", spec.name(), text);
        }
    }

    private static String overlap(JetStreamManagement jsm, StreamSpec spec) {
        StringBuilder b = new StringBuilder();
        for (String subject : spec.subjects()) {
            try {
                List<String> holders = jsm.getStreamNames(subject);
                if (!holders.isEmpty()) {
                    b.append("; subject ").append(subject).append(" is held by stream ").append(holders);
                }
            } catch (IOException | JetStreamApiException e) {
                LOG.debug("stream lookup for {} failed", subject, e);
            }
        }
        return b.toString();
    }

    private static StreamInfo info(JetStreamManagement jsm, String stream) throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Makes sure a durable pull consumer exists with this filter and these limits. Limits that
     * differ are updated (they are this rack's to choose); a different filter is a conflict.
     * {@code expectExisting}: this subscription had the consumer before (a re-check after a
     * reconnect), so creating it again is reported as a warning.
     */
    void ensureConsumer(JetStreamManagement jsm, Placement p, String durable, boolean expectExisting) throws IOException, JetStreamApiException {
        leaderWait.call("consumer " + durable + " on " + p.stream(), () -> {
            ensureConsumerOnce(jsm, p, durable, expectExisting);
            return null;
        });
    }

    private void ensureConsumerOnce(JetStreamManagement jsm, Placement p, String durable, boolean expectExisting)
            throws IOException, JetStreamApiException {
        ConsumerSpec c = p.consumer();
        ConsumerConfiguration wanted = ConsumerConfiguration.builder().durable(durable).filterSubject(p.subject())
                .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All).ackWait(c.ackWait())
                .maxAckPending(c.inFlight()).maxDeliver(-1).build();
        ConsumerInfo info;
        try {
            info = jsm.getConsumerInfo(p.stream(), durable);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw e;
            }
            jsm.addOrUpdateConsumer(p.stream(), wanted);
            if (expectExisting) {
                LOG.warn("wire.jetstream: consumer {} had vanished from {} (server state lost?); re-created it, so"
                        + " the wire is delivered again from its first message", durable, p.stream());
            } else {
                LOG.info("wire.jetstream: created consumer {} on {} ({})", durable, p.stream(), p.subject());
            }
            return;
        }
        ConsumerConfiguration have = info.getConsumerConfiguration();
        if (!p.subject().equals(have.getFilterSubject()) || have.getAckPolicy() != AckPolicy.Explicit) {
            String msg = "consumer " + durable + " on stream " + p.stream() + " conflicts: filter_subject: server has "
                    + have.getFilterSubject() + ", this rack wants " + p.subject() + "; ack_policy: server has "
                    + have.getAckPolicy() + ", this rack wants explicit";
            LOG.error("wire.jetstream: {}", msg);
            throw new WireConfigException(msg);
        }
        if (!c.ackWait().equals(have.getAckWait()) || have.getMaxAckPending() != c.inFlight()) {
            jsm.addOrUpdateConsumer(p.stream(), wanted);
            LOG.info("wire.jetstream: updated consumer {} (ack wait {}, max ack pending {})", durable, c.ackWait(),
                    c.inFlight());
        }
    }
}
