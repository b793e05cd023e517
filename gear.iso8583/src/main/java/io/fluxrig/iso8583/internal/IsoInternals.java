package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.IsoMessage;
import java.util.Map;

/**
 * Not API: how the codec in this package builds and reads an {@link IsoMessage}'s arrays
 * directly, without a map per message and without adding to the exported API (the pattern of
 * gear.api's {@code MsgInternals}). This package is private to the bundle. The single
 * implementation is installed by {@code IsoMessage}'s class initialisation; it is stateless, so
 * sharing it between threads is safe. Methods trust their caller (no copies, no checks).
 */
public abstract class IsoInternals {
    private static volatile IsoInternals installed;

    /** For the single implementation in {@code io.fluxrig.iso8583}. */
    protected IsoInternals() {
    }

    /** @return the accessor (initialises {@code IsoMessage} on first use) */
    public static IsoInternals get() {
        IsoInternals a = installed;
        if (a == null) {
            new IsoMessage("0000", Map.of()); // runs IsoMessage's static initialiser, which installs it
            a = installed;
        }
        return a;
    }

    /**
     * @param accessor the implementation
     * @throws IllegalStateException when one is installed already
     */
    public static synchronized void install(IsoInternals accessor) {
        if (installed != null) {
            throw new IllegalStateException("IsoInternals already installed");
        }
        installed = accessor;
    }

    /**
     * @param mti the MTI
     * @param numbers field numbers, strictly ascending (handed over, not copied)
     * @param values their values (handed over, same length)
     * @return the message
     */
    public abstract IsoMessage message(String mti, int[] numbers, Object[] values);

    /** @return the number of fields */
    public abstract int size(IsoMessage m);

    /** @return the field number at {@code index} (ascending) */
    public abstract int number(IsoMessage m, int index);

    /** @return the value at {@code index} */
    public abstract Object value(IsoMessage m, int index);
}
