package io.fluxrig.telemetry;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The rack's recent failed messages, for the live console page: a gear's rejections and errors and
 * the wires' dead letters. Registered by rack.telemetry while the rack's metrics are on; the
 * router and the wire transport take it through an optional dynamic reference and call it on
 * their failure paths only. It keeps a bounded number of the newest failures and masks each
 * reason with the card-data rule set ({@link io.fluxrig.msg.SensitiveData#maskText}), since a
 * reason may quote message values. Thread-safe; {@link #failed} never blocks on I/O.
 *
 * @since 1.2
 */
@ProviderType
public interface FailedMessages {

    /**
     * Records one failure.
     *
     * @param gear the gear instance that rejected or failed on the message, or for a dead letter the
     *     wire and consumer ({@code wire auth.requests (core-issuer)})
     * @param reason why, as the rack tells it (masked here before it is kept)
     * @param traceparent the message's W3C trace context ({@code FluxMsg.trace()}), or null
     */
    void failed(String gear, String reason, String traceparent);
}
