package io.fluxrig.wire;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives deliveries from a {@link WireTransport} subscription. */
@ConsumerType
@FunctionalInterface
public interface WireHandler {

    /**
     * Handles one delivery. Acknowledge only after the message has been fully handled downstream.
     * An exception thrown here is treated as a nak.
     *
     * @param delivery the delivery
     */
    void onDelivery(WireDelivery delivery);
}
