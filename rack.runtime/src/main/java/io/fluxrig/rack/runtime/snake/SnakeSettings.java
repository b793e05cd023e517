package io.fluxrig.rack.runtime.snake;

import io.fluxrig.rack.runtime.RackSettings;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The Snake's settings, from framework properties. Immutable.
 *
 * @param mixer {@value #MIXER}: HOST:PORT of the Mixer's Snake endpoint; null disables the Snake
 * @param token {@value #TOKEN}: enrolment token, needed only until the rack is enrolled
 * @param caHash {@value #CA_HASH}: pinned {@code sha256:<hex>} of the Mixer CA, same
 * @param rack the rack name ({@code fluxrig.rack.name})
 * @param dir {@code <fluxrig.rack.data>/snake}
 * @param heartbeatMillis {@value #HEARTBEAT}, default 5000
 * @param backoffMaxMillis {@value #BACKOFF_MAX}, default 60000
 * @param renewPercent {@value #RENEW_PERCENT}: renew the rack certificate once this share of its
 *        validity has passed, default 67 (10..95)
 * @param downloadBytesPerSecond {@value #DOWNLOAD_KBPS} times 1024: cap on artifact downloads so a
 *        deployment does not saturate a thin edge link; 0 (default) for no cap
 */
record SnakeSettings(String mixer, String token, String caHash, String rack, Path dir, long heartbeatMillis,
        long backoffMaxMillis, int renewPercent, long downloadBytesPerSecond) {
    public static final String MIXER = "fluxrig.mixer";
    public static final String TOKEN = "fluxrig.mixer.token";
    public static final String CA_HASH = "fluxrig.mixer.ca.hash";
    public static final String HEARTBEAT = "fluxrig.mixer.heartbeat.ms";
    public static final String BACKOFF_MAX = "fluxrig.mixer.backoff.max.ms";
    public static final String RENEW_PERCENT = "fluxrig.mixer.renew.percent";
    public static final String DOWNLOAD_KBPS = "fluxrig.mixer.download.kbps";

    /** Settings with the default renewal point (67 %) and no download cap. */
    public SnakeSettings(String mixer, String token, String caHash, String rack, Path dir, long heartbeatMillis,
            long backoffMaxMillis) {
        this(mixer, token, caHash, rack, dir, heartbeatMillis, backoffMaxMillis, 67, 0);
    }

    /** @param percent the renewal point @return a copy with it */
    public SnakeSettings withRenewPercent(int percent) {
        return new SnakeSettings(mixer, token, caHash, rack, dir, heartbeatMillis, backoffMaxMillis, percent,
                downloadBytesPerSecond);
    }

    /** @param bytesPerSecond the download cap, 0 for none @return a copy with it */
    public SnakeSettings withDownloadCap(long bytesPerSecond) {
        return new SnakeSettings(mixer, token, caHash, rack, dir, heartbeatMillis, backoffMaxMillis, renewPercent,
                bytesPerSecond);
    }

    /**
     * @param property reads a framework property
     * @return the settings
     * @throws IllegalArgumentException naming the property when a value is invalid
     */
    public static SnakeSettings from(Function<String, String> property) {
        RackSettings rack = RackSettings.from(property);
        String mixer = blankToNull(property.apply(MIXER));
        if (mixer != null && !mixer.matches("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException(MIXER + ": '" + mixer + "' must be HOST:PORT");
        }
        String hash = blankToNull(property.apply(CA_HASH));
        if (hash != null && !hash.matches("sha256:[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(CA_HASH + ": '" + hash + "' must be sha256:<64 hex digits>");
        }
        return new SnakeSettings(mixer, blankToNull(property.apply(TOKEN)), hash, rack.name(), rack.data().resolve("snake"),
                millis(property, HEARTBEAT, 5000), millis(property, BACKOFF_MAX, 60_000),
                (int) number(property, RENEW_PERCENT, 67, 10, 95), 1024 * number(property, DOWNLOAD_KBPS, 0, 0, 1L << 30));
    }

    private static long number(Function<String, String> property, String key, long fallback, long min, long max) {
        String v = blankToNull(property.apply(key));
        try {
            long n = v == null ? fallback : Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' must be a whole number from " + min + " to " + max);
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static long millis(Function<String, String> property, String key, long fallback) {
        String v = blankToNull(property.apply(key));
        try {
            long n = v == null ? fallback : Long.parseLong(v);
            if (n < 10) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' must be a number of milliseconds, 10 or more");
        }
    }
}
