package io.fluxrig.iso8583;

import java.util.Locale;

/** How {@code encode} fills a fixed-length field given a shorter value; decode keeps the fill. */
public enum Padding {
    /** No fill: a shorter value is an error. */
    NONE,
    /** Zeros on the left (the default for fixed n). */
    ZEROS_LEFT,
    /** Spaces on the right (the default for fixed an and ans). */
    SPACES_RIGHT;

    /** @return the name used in spec files ({@code zeros-left}) */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param code a spec-file name
     * @return the padding, or null when unknown
     */
    public static Padding of(String code) {
        for (Padding p : values()) {
            if (p.code().equals(code)) {
                return p;
            }
        }
        return null;
    }
}
