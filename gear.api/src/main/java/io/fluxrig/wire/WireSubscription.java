package io.fluxrig.wire;

import org.osgi.annotation.versioning.ConsumerType;

/** A running subscription to a wire; close it to stop deliveries. */
@ConsumerType
public interface WireSubscription extends AutoCloseable {

    /** Stops deliveries; unacknowledged messages stay on the wire. Idempotent. */
    @Override
    void close();
}
