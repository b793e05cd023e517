package io.fluxrig.wire.jetstream;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private final StreamSpec defaults;
    private final List<StreamSpec> configured = new CopyOnWriteArrayList<>();
    private final Map<String, Placement> placements = new ConcurrentHashMap<>();

    StreamProvisioner(StreamSpec defaults) {
        this.defaults = defaults;
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
        StreamSpec spec = configuredFor(wire);
        if (spec == null) {
            List<String> holders = jsm.getStreamNames(subject);
            if (!holders.isEmpty()) {
                p = new Placement(wire, holders.get(0), subject, defaults.consumer());
                placements.put(wire, p);
                return p;
            }
            spec = defaults.named(Names.defaultStream(wire), wire);
        }
        ensure(jsm, spec);
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
                info = info(jsm, spec.name());
                if (info == null) {
                    throw new WireConfigException("stream " + spec.name() + " " + spec.subjects()
                            + " cannot be created: " + e.getErrorDescription() + overlap(jsm, spec));
                }
            }
        }
        List<String> diff = spec.differences(info.getConfiguration());
        if (!diff.isEmpty()) {
            String msg = "stream " + spec.name() + " conflicts with this rack's definition; " + String.join("; ", diff)
                    + " (not changed: reconcile the fluxrig.wire.stream configurations)";
            LOG.error("wire.jetstream: {}", msg);
            throw new WireConfigException(msg);
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
