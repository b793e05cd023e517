package io.fluxrig.gear;

import io.fluxrig.msg.FluxMsg;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A gear instance's handle on its rack, implemented by the rack runtime.
 *
 * <p>Thread-safe. Valid from {@link Gear#open} until {@link Gear#close}; emitting after close
 * throws {@link IllegalStateException}.
 */
@ProviderType
public interface GearContext {

    /** @return the name of the rack this instance runs in */
    String rack();

    /** @return this gear instance's name (unique in the rack) */
    String instance();

    /**
     * Emits a message on an output port. The rack records a hop (rack, instance, time) in the
     * message's path and hands it to every link leaving that port, synchronously on the calling
     * thread. A port with no link drops nothing silently: the message is counted as unrouted.
     *
     * <p>When a link target is not there (not yet deployed, being updated) the message waits in
     * the link's bounded buffer; when that buffer is full this call blocks for the configured
     * back-pressure time and then throws {@link BackPressureException}, so that a source can
     * answer its peer with a clear failure instead of losing the message.
     *
     * @param port an output port declared by the gear type
     * @param msg the message to emit
     * @throws BackPressureException when the downstream cannot take the message in time
     */
    void emit(String port, FluxMsg msg);
}
