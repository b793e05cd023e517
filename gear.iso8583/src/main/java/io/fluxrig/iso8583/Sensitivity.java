package io.fluxrig.iso8583;

import java.util.Locale;

/** How a field's value is masked in logs, traces and CLI output (see {@link Masking}). */
public enum Sensitivity {
    /** Shown as is. */
    NONE,
    /** A card number: first 6 and last 4 digits shown. */
    PAN,
    /** Track data: fully masked. */
    TRACK,
    /** PIN block: fully masked. */
    PIN,
    /** Card verification value: fully masked. */
    CVV;

    /** @return the name used in spec files */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param code a spec-file name
     * @return the class, or null when unknown
     */
    public static Sensitivity of(String code) {
        for (Sensitivity s : values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        return null;
    }
}
