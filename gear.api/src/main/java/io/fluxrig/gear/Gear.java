package io.fluxrig.gear;

import io.fluxrig.msg.FluxMsg;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A gear: one processing unit of a rack (codec, adapter, transform, source or sink).
 *
 * <p><b>How a gear is found.</b> A gear type is a Declarative Services component that provides
 * this interface, requires a factory configuration whose factory PID is
 * {@code fluxrig.gear.<type>} (so every configuration is one gear instance), describes that
 * configuration with a metatype {@code @ObjectClassDefinition} (the Web Console shows it as a
 * form), and declares its type and ports with {@link GearType} on the component class. The rack
 * sets {@link #INSTANCE} in every configuration it creates; DS copies it into the service
 * properties, which is how the rack matches a registered service to its patch entry.
 *
 * <p><b>Threading.</b> {@link #onMessage} may be called by several threads at once (every
 * upstream source drives the chain on its own thread); a gear that keeps mutable state must
 * guard it. Calls are synchronous: a gear that emits inside {@code onMessage} hands the message
 * to the next gear on the same thread, so an emit returns when the downstream chain has handled
 * it or buffered it. {@link #open} and {@link #close} are called once each per binding, never
 * concurrently with each other.
 *
 * <p><b>Failures.</b> A gear rejects a message by throwing {@link GearRejection} with a reason;
 * the rack routes the message to the gear's {@value #PORT_ERROR} port when a link leaves it,
 * otherwise logs and counts it. Any other exception is treated the same way: a gear can never
 * take the rack or the rest of the chain down by throwing.
 */
@ConsumerType
public interface Gear {

    /** Service property (String): the gear type, e.g. {@code "timer"}; set from {@link GearType}. */
    String TYPE = "fluxrig.gear.type";

    /** Service/configuration property (String): the gear instance name, unique in a rack. */
    String INSTANCE = "fluxrig.gear.instance";

    /** Prefix of every gear type's factory PID: {@code fluxrig.gear.<type>}. */
    String FACTORY_PID_PREFIX = "fluxrig.gear.";

    /** The conventional input port name. */
    String PORT_IN = "in";

    /** The conventional output port name. */
    String PORT_OUT = "out";

    /** The error port: rejected messages go here, with the reason in meta {@value #META_ERROR}. */
    String PORT_ERROR = "error";

    /** Meta key the rack sets on a message routed to an error port: the rejection reason. */
    String META_ERROR = "error";

    /** Meta key the rack sets on a message routed to an error port: the instance that rejected it. */
    String META_ERROR_GEAR = "error.gear";

    /**
     * Called by the rack when this instance is linked into the flow, before any message arrives.
     * A source gear starts emitting from here (on its own thread, never blocking this call).
     *
     * @param context the instance's handle on the rack; valid until {@link #close()}
     */
    default void open(GearContext context) {
    }

    /**
     * Handles one message that arrived on an input port.
     *
     * @param port the input port the message arrived on
     * @param msg the message; immutable, may be kept
     * @param context where to emit results
     * @throws GearRejection to reject the message with a reason
     */
    void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection;

    /**
     * Called by the rack when the instance leaves the flow (unlinked, reconfigured, its bundle
     * stopped). A source stops emitting before it returns. In-flight {@link #onMessage} calls have
     * finished before this is called.
     */
    default void close() {
    }
}
