package io.fluxrig.rack.snake;

import java.nio.file.Path;

/**
 * The Snake's settings, from its configuration ({@link SnakeConfig}) and the rack's name and data
 * folder. Immutable.
 *
 * @param mixer HOST:PORT of the Mixer's Snake endpoint
 * @param tokenFile the file holding the enrolment token (read only when enrolling), or null
 * @param caHash pinned {@code sha256:<hex>} of the Mixer CA, needed only until the rack is enrolled
 * @param rack the rack name ({@code fluxrig.rack.name})
 * @param dir {@code <fluxrig.rack.data>/snake}
 * @param heartbeatMillis the heartbeat period
 * @param backoffMaxMillis the longest reconnect backoff
 * @param renewPercent renew the rack certificate once this share of its validity has passed (10..95)
 * @param downloadBytesPerSecond cap on artifact downloads; 0 for no cap
 */
record SnakeSettings(String mixer, Path tokenFile, String caHash, String rack, Path dir, long heartbeatMillis,
        long backoffMaxMillis, int renewPercent, long downloadBytesPerSecond) {

    /** Settings with the default renewal point (67 %) and no download cap. */
    SnakeSettings(String mixer, Path tokenFile, String caHash, String rack, Path dir, long heartbeatMillis,
            long backoffMaxMillis) {
        this(mixer, tokenFile, caHash, rack, dir, heartbeatMillis, backoffMaxMillis, 67, 0);
    }

    /**
     * @param c the configuration
     * @param rack the rack's name
     * @param data the rack's data folder
     * @return the settings
     * @throws IllegalArgumentException naming the property when a value is invalid
     */
    static SnakeSettings of(SnakeConfig c, String rack, Path data) {
        String mixer = blankToNull(c.mixer());
        if (mixer == null || !mixer.matches("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("mixer: '" + mixer + "' must be HOST:PORT");
        }
        String hash = blankToNull(c.ca_hash());
        if (hash != null && !hash.matches("sha256:[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("ca.hash: '" + hash + "' must be sha256:<64 hex digits>");
        }
        String token = blankToNull(c.token_file());
        range("heartbeat.ms", c.heartbeat_ms(), 10, Long.MAX_VALUE);
        range("backoff.max.ms", c.backoff_max_ms(), 10, Long.MAX_VALUE);
        range("renew.percent", c.renew_percent(), 10, 95);
        range("download.kbps", c.download_kbps(), 0, 1L << 30);
        return new SnakeSettings(mixer, token == null ? null : Path.of(token), hash, rack, data.resolve("snake"),
                c.heartbeat_ms(), c.backoff_max_ms(), c.renew_percent(), 1024 * c.download_kbps());
    }

    /** @param percent the renewal point @return a copy with it */
    SnakeSettings withRenewPercent(int percent) {
        return new SnakeSettings(mixer, tokenFile, caHash, rack, dir, heartbeatMillis, backoffMaxMillis, percent,
                downloadBytesPerSecond);
    }

    /** @param bytesPerSecond the download cap, 0 for none @return a copy with it */
    SnakeSettings withDownloadCap(long bytesPerSecond) {
        return new SnakeSettings(mixer, tokenFile, caHash, rack, dir, heartbeatMillis, backoffMaxMillis, renewPercent,
                bytesPerSecond);
    }

    private static void range(String key, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + ": " + v + " must be a whole number from " + min + " to " + max);
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
