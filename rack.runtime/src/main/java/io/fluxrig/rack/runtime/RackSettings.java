package io.fluxrig.rack.runtime;

import io.fluxrig.snake.api.RackNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The rack's bootstrap settings, read from framework properties (which in Felix fall back to JVM
 * system properties). Immutable.
 *
 * @param name {@value #NAME}, default {@code rack}; a {@link RackNames} name
 * @param data {@value #DATA}, default {@code ./data/racks/<name>}
 * @param patch {@value #PATCH}, or null when not set: then the rack reads {@link #patchFile()},
 *        {@code <data>/patch.yaml}, and a missing file is the empty patch
 * @param consoleUrl {@value #CONSOLE_URL}, printed in the readiness line
 * @param bufferCapacity {@value #BUFFER}: messages that may wait per inlet or wire outlet
 * @param backPressureMillis {@value #BACK_PRESSURE}: how long a full buffer blocks an emit
 * @param graceMillis {@value #GRACE}: how long unknown gear types are waited for at start
 */
public record RackSettings(String name, Path data, Path patch, String consoleUrl, int bufferCapacity,
        long backPressureMillis, long graceMillis) {

    public static final String NAME = "fluxrig.rack.name";
    public static final String DATA = "fluxrig.rack.data";
    public static final String PATCH = "fluxrig.rack.patch";
    public static final String CONSOLE_URL = "fluxrig.console.url";
    public static final String BUFFER = "fluxrig.rack.buffer.capacity";
    public static final String BACK_PRESSURE = "fluxrig.rack.backpressure.ms";
    public static final String GRACE = "fluxrig.rack.grace.ms";

    /**
     * @param property reads a framework property (null when unset), e.g. {@code BundleContext::getProperty}
     * @return the settings
     * @throws IllegalArgumentException naming the property when a value is invalid
     */
    public static RackSettings from(Function<String, String> property) {
        String name = text(property, NAME, "rack");
        String refused = RackNames.problem(name);
        if (refused != null) {
            throw new IllegalArgumentException(NAME + ": " + refused);
        }
        String data = text(property, DATA, "./data/racks/" + name);
        String patch = property.apply(PATCH);
        return new RackSettings(name, Path.of(data), patch == null || patch.isBlank() ? null : Path.of(patch.trim()),
                text(property, CONSOLE_URL, "http://127.0.0.1:8181/system/console"),
                (int) number(property, BUFFER, 10_000, Integer.MAX_VALUE), number(property, BACK_PRESSURE, 5_000, Long.MAX_VALUE),
                number(property, GRACE, 15_000, Long.MAX_VALUE));
    }

    private static String text(Function<String, String> property, String key, String fallback) {
        String v = property.apply(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static long number(Function<String, String> property, String key, long fallback, long max) {
        String v = property.apply(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > max || (n == 0 && BUFFER.equals(key))) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a valid number"
                    + (BUFFER.equals(key) ? " (1 or more)" : " (0 or more)"));
        }
    }

    /** The patch file's name in the data folder when {@value #PATCH} is not set. */
    public static final String DEFAULT_PATCH = "patch.yaml";

    /** @return the patch file the rack reads: {@value #PATCH}, else {@code <data>/patch.yaml} */
    public Path patchFile() {
        return patch != null ? patch : data.resolve(DEFAULT_PATCH);
    }

    /**
     * @return the patch file as configured; without {@value #PATCH}, the default file when it
     *         exists, else {@code none} (the rack runs the empty patch)
     */
    public String patchText() {
        return patch != null || Files.exists(patchFile()) ? patchFile().toString() : "none";
    }
}
