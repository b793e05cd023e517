package io.fluxrig.rack.runtime;

import io.fluxrig.snake.api.RackNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The rack's settings. A rack reads them from its configuration {@value RackConfig#PID}
 * ({@code etc/io.fluxrig.rack.cfg}, attribute names without the {@code fluxrig.rack.} prefix: see
 * {@link #from(Map, Function)}); an attribute the configuration does not have falls back to the
 * framework property named below (how embedded frameworks and in-framework tests set them), then
 * to the default. Immutable.
 *
 * @param name {@value #NAME}, default {@code rack}; a {@link RackNames} name
 * @param data {@value #DATA}, default the working directory (the launcher starts a rack in its folder)
 * @param patch {@value #PATCH}, or null when not set: then the rack reads {@link #patchFile()},
 *        {@code <data>/patch.yaml}, and a missing file is the empty patch
 * @param consoleUrl {@value #CONSOLE_URL}, printed in the readiness line; when not set, made of
 *        Felix HTTP's {@value #HTTP_HOST} and {@value #HTTP_PORT}
 * @param consolePort Felix HTTP's {@value #HTTP_PORT} (the console's), 0 for any, -1 when not set
 * @param bufferCapacity {@value #BUFFER}: messages that may wait per inlet or wire outlet
 * @param backPressureMillis {@value #BACK_PRESSURE}: how long a full buffer blocks an emit
 * @param graceMillis {@value #GRACE}: how long unknown gear types are waited for at start
 * @param deferTimeoutMillis {@value #DEFER_TIMEOUT}: how long a deferred wire delivery may stay open
 */
public record RackSettings(String name, Path data, Path patch, String consoleUrl, int consolePort, int bufferCapacity,
        long backPressureMillis, long graceMillis, long deferTimeoutMillis) {

    public static final String NAME = "fluxrig.rack.name";
    public static final String DATA = "fluxrig.rack.data";
    public static final String PATCH = "fluxrig.rack.patch";
    public static final String CONSOLE_URL = "fluxrig.console.url";
    public static final String BUFFER = "fluxrig.rack.buffer.capacity";
    public static final String BACK_PRESSURE = "fluxrig.rack.backpressure.ms";
    public static final String GRACE = "fluxrig.rack.grace.ms";
    public static final String DEFER_TIMEOUT = "fluxrig.rack.defer.timeout.ms";
    /** Default of {@value #DEFER_TIMEOUT}. */
    public static final long DEFER_TIMEOUT_DEFAULT = 20_000;

    /**
     * @param config the configurations {@value RackConfig#PID} (may be empty): {@code name},
     *        {@code data}, {@code patch}, {@code console.url}, {@code buffer.capacity},
     *        {@code backpressure.ms}, {@code grace.ms}, {@code defer.timeout.ms}; and
     *        {@code org.apache.felix.http}: {@value #HTTP_HOST}, {@value #HTTP_PORT}
     * @param framework reads a framework property, for what the configuration does not say
     * @return the settings
     * @throws IllegalArgumentException naming the property when a value is invalid
     */
    public static RackSettings from(Map<String, ?> config, Function<String, String> framework) {
        return from(key -> {
            String configKey = key.equals(CONSOLE_URL) ? "console.url"
                    : key.startsWith("fluxrig.rack.") ? key.substring("fluxrig.rack.".length()) : key;
            Object v = config.get(configKey);
            return v != null ? v.toString() : framework.apply(key);
        });
    }

    /** Felix HTTP's port property (configuration {@code org.apache.felix.http}, or framework property). */
    public static final String HTTP_PORT = "org.osgi.service.http.port";
    /** Felix HTTP's bind address property. */
    public static final String HTTP_HOST = "org.apache.felix.http.host";

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
        String data = text(property, DATA, "");
        String patch = property.apply(PATCH);
        String port = property.apply(HTTP_PORT);
        String host = text(property, HTTP_HOST, "127.0.0.1");
        int consolePort = port == null || port.isBlank() ? -1 : (int) number(property, HTTP_PORT, -1, 65535);
        String consoleUrl = text(property, CONSOLE_URL, "http://" + host + ":" + (consolePort < 0 ? 8181 : consolePort) + "/system/console");
        return new RackSettings(name, Path.of(data).toAbsolutePath().normalize(), patch == null || patch.isBlank() ? null : Path.of(patch.trim()),
                consoleUrl, consolePort,
                (int) number(property, BUFFER, 10_000, Integer.MAX_VALUE), number(property, BACK_PRESSURE, 5_000, Long.MAX_VALUE),
                number(property, GRACE, 15_000, Long.MAX_VALUE), number(property, DEFER_TIMEOUT, DEFER_TIMEOUT_DEFAULT, Long.MAX_VALUE));
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
            if (n < 0 || n > max || (n == 0 && (BUFFER.equals(key) || DEFER_TIMEOUT.equals(key)))) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a valid number"
                    + (BUFFER.equals(key) || DEFER_TIMEOUT.equals(key) ? " (1 or more)" : " (0 or more)"));
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
