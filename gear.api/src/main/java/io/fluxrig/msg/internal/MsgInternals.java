package io.fluxrig.msg.internal;

import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Not API: the door through which the codecs in {@code io.fluxrig.msg.cbor} reach package-private
 * parts of {@code io.fluxrig.msg} (the JDK's {@code SharedSecrets} pattern). It lets the decoder
 * hand over maps it has already verified to be in canonical order, and the encoder read a
 * {@link Bytes} without copying it, without adding anything to the exported API.
 *
 * <p>This package has no {@code package-info.java} with {@code @Version}, so bnd keeps it private
 * to the gear.api bundle: no other bundle can see or call it. The single implementation is
 * installed by {@code FluxMsg}'s class initialisation; {@link #get()} triggers that
 * initialisation. The installed instance is stateless and immutable, so sharing it between
 * threads is safe.
 *
 * <p>Every method trusts its caller: arguments are not copied or checked. Callers are codecs that
 * have validated the content themselves.
 */
public abstract class MsgInternals {
    private static volatile MsgInternals installed;

    /** For the single implementation in {@code io.fluxrig.msg}. */
    protected MsgInternals() {
    }

    /** @return the accessor (initialises {@code FluxMsg} on first use) */
    public static MsgInternals get() {
        MsgInternals a = installed;
        if (a == null) {
            FluxMsg.builder(); // runs FluxMsg's static initialiser, which calls install
            a = installed;
        }
        return a;
    }

    /**
     * Called once, from {@code FluxMsg}'s static initialiser.
     *
     * @param accessor the implementation
     * @throws IllegalStateException when one is already installed
     */
    public static synchronized void install(MsgInternals accessor) {
        if (installed != null) {
            throw new IllegalStateException("MsgInternals already installed");
        }
        installed = accessor;
    }

    /** @param b bytes @return the array behind them, not copied: the caller must not modify it */
    public abstract byte[] array(Bytes b);

    /**
     * @param keys data keys, the first {@code n} strictly ascending in canonical CBOR order
     *     (verified by the caller)
     * @param values normalised values (as the decoder produces them)
     * @param n how many entries
     * @return the immutable data map; the arrays are read, not kept
     */
    public abstract Map<String, Object> dataMap(String[] keys, Object[] values, int n);

    /**
     * @param keys meta keys, the first {@code n} strictly ascending
     * @param values their values
     * @param n how many entries
     * @return the immutable meta map; the arrays are read, not kept
     */
    public abstract Map<String, String> metaMap(String[] keys, String[] values, int n);

    /** @param items normalised values; the array is owned by the result afterwards @return the list */
    public abstract List<Object> dataList(Object[] items);

    /** @param hops the hops; the array is owned by the result afterwards @return the path */
    public abstract List<Hop> path(Hop[] hops);

    /** @param s text, not null @return whether it is a W3C traceparent as FluxMsg accepts it */
    public abstract boolean isTraceparent(String s);

    /**
     * @return a message from already-validated parts; null meta/data/path mean empty
     */
    public abstract FluxMsg message(UUID id, long ts, UUID ref, String trace, String src,
            Map<String, String> meta, Map<String, Object> data, Bytes raw, List<Hop> path);
}
