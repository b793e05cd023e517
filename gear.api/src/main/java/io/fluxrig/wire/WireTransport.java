package io.fluxrig.wire;

import io.fluxrig.msg.FluxMsg;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A Wire transport: persistent, ordered, named data paths between gears and racks. Registered
 * as an OSGi service by a transport bundle ({@code wire.jetstream}); the rack links patch ports
 * written {@code wire:NAME} to it.
 *
 * <p><b>Who owns publishing.</b> The rack does: its outlet per {@code wire:NAME} link holds what
 * gears emit in a bounded buffer (back-pressure to the emitter when it is full), keeps a window of
 * publishes in flight, removes a message only once its acknowledgement came, in order, and sends
 * a failed one again, so that nothing is lost and a transport that goes away (reconfigured,
 * updated) loses nothing either. A transport therefore keeps no buffer, window or retry of its
 * own: {@link #publish} is one attempt whose result reports the broker's answer. Sending the same
 * message again must be safe: a transport deduplicates repeats of one message (same id, same
 * hop) within its duplicate window.
 *
 * <p>Thread-safe: any thread may publish. Deliveries to one subscription arrive on threads the
 * transport owns; a handler must not block them longer than its acknowledgement wait.
 */
@ConsumerType
public interface WireTransport {

    /** Service property (String): the transport's name, e.g. {@code "jetstream"} or {@code "memory"}. */
    String NAME = "fluxrig.wire.transport";

    /**
     * Publishes a message to a wire: one attempt, never queued for later (see the class
     * description: the caller owns buffering and retries). May block briefly the first time a
     * wire is used (the transport places the wire on its storage); never waits for the
     * acknowledgement.
     *
     * @param wire the wire name (letters, digits, '.', '-', '_')
     * @param msg the message
     * @return completes normally once the transport has durably accepted the message (the
     *     acknowledgement); completes exceptionally, with the reason, when it could not: the
     *     broker is unreachable, refused the message, or did not acknowledge it in time
     */
    CompletionStage<Void> publish(String wire, FluxMsg msg);

    /**
     * Starts delivering a wire's messages to a handler under a durable consumer name; messages
     * not acknowledged are delivered again (after a restart too).
     *
     * @param wire the wire name
     * @param consumer the durable consumer name; subscriptions that pass the same name (the racks of one
     *     consumer group) share its messages, each delivered to one of them; the rack passes
     *     {@code <rack or group>-<gear instance>-<wire>}
     * @param handler receives each delivery; it must {@link WireDelivery#ack()} or
     *     {@link WireDelivery#nak} each one
     * @return the subscription; closing it stops deliveries and leaves unacknowledged messages
     *     on the wire
     */
    WireSubscription subscribe(String wire, String consumer, WireHandler handler);

    /**
     * Whether the transport can publish and deliver now: false while its broker is unreachable
     * (publishes then fail at once and wait in the rack's buffer; the rack shows the wire as
     * degraded).
     *
     * @return true when connected; the default, for transports that cannot be cut off, is true
     * @since 1.1
     */
    default boolean connected() {
        return true;
    }

    /**
     * @return one line for operators: connection state and its reason, counters; the default is empty
     * @since 1.1
     */
    default String describe() {
        return "";
    }
}
