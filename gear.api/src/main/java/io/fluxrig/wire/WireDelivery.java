package io.fluxrig.wire;

import io.fluxrig.msg.FluxMsg;
import java.time.Duration;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One delivery of a message from a wire. Exactly one of {@link #ack()} or {@link #nak} takes
 * effect; later calls are ignored. Implemented by transports.
 */
@ConsumerType
public interface WireDelivery {

    /** Meta key a transport sets on delivered messages: how many times it was delivered (1 = first). */
    String META_DELIVERY_COUNT = "wire.delivery";

    /** Meta key a transport sets on delivered messages: the wire it came from. */
    String META_WIRE = "wire.name";

    /** @return the delivered message (meta carries {@link #META_DELIVERY_COUNT} and {@link #META_WIRE}) */
    FluxMsg msg();

    /** @return how many times this message has been delivered, 1 for the first time */
    int deliveryCount();

    /** Confirms the message has been fully handled; it will not be delivered again. */
    void ack();

    /**
     * Asks for the message to be delivered again after a delay.
     *
     * @param delay how long to wait before the redelivery
     * @param reason why handling failed (kept with a dead letter)
     */
    void nak(Duration delay, String reason);
}
