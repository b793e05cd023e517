package io.fluxrig.mixer;

import io.fluxrig.mixer.http.SnakeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Mixer's settings: bootstrap values from framework properties, tunables from the
 * {@link MixerConfig} configuration. Immutable.
 *
 * @param data {@value #DATA}: CA, operator token hash (default {@code ./data/mixer})
 * @param nats {@value #NATS}: the registry's NATS (default {@code nats://127.0.0.1:4222})
 * @param snakeHost {@value #SNAKE_HOST}: bind address of the Snake (default {@value #SNAKE_HOST_DEFAULT}),
 *        {@code *} or {@code 0.0.0.0} for all interfaces
 * @param snakePort {@value #SNAKE_PORT}: default 7443
 * @param apiHost {@value #API_HOST}: default 127.0.0.1
 * @param apiPort {@value #API_PORT}: default 8443
 * @param serverNames {@value #HOSTS}: names and IPs in the server certificate
 * @param advertise {@value #ADVERTISE}: HOST:PORT racks dial, printed in the token command
 * @param consoleUrl {@value #CONSOLE_URL}: printed in the readiness line
 * @param rackCertLifetime lifetime of rack certificates
 * @param offlineAfterPeriods missed heartbeat periods before a rack is offline
 * @param sweepInterval how often the offline rule runs
 * @param artifactMaxBytes {@value #ARTIFACT_MAX_MB} (MiB, default {@value #ARTIFACT_MAX_MB_DEFAULT}):
 *        the largest artifact {@code POST /api/artifacts} stores
 * @param snakeLimits timeouts, data rate and request caps of the Snake
 */
public record MixerSettings(Path data, String nats, String snakeHost, int snakePort, String apiHost, int apiPort,
        List<String> serverNames, String advertise, String consoleUrl, Duration rackCertLifetime,
        int offlineAfterPeriods, Duration sweepInterval, long artifactMaxBytes, SnakeLimits snakeLimits) {
    public static final String DATA = "fluxrig.mixer.data";
    public static final String NATS = "fluxrig.mixer.nats";
    public static final String SNAKE_HOST = "fluxrig.mixer.snake.host";
    public static final String SNAKE_PORT = "fluxrig.mixer.snake.port";
    public static final String API_HOST = "fluxrig.mixer.api.host";
    public static final String API_PORT = "fluxrig.mixer.api.port";
    public static final String HOSTS = "fluxrig.mixer.hosts";
    public static final String ADVERTISE = "fluxrig.mixer.advertise";
    public static final String CONSOLE_URL = "fluxrig.console.url";
    public static final String ARTIFACT_MAX_MB = "fluxrig.mixer.artifact.max.mb";
    public static final int ARTIFACT_MAX_MB_DEFAULT = 256;
    /** Loopback: racks on other machines need the Snake on an interface they reach, configured. */
    public static final String SNAKE_HOST_DEFAULT = "127.0.0.1";

    /** Settings with the default artifact size cap (the constructor tests and older callers use). */
    public MixerSettings(Path data, String nats, String snakeHost, int snakePort, String apiHost, int apiPort,
            List<String> serverNames, String advertise, String consoleUrl, Duration rackCertLifetime,
            int offlineAfterPeriods, Duration sweepInterval) {
        this(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl, rackCertLifetime,
                offlineAfterPeriods, sweepInterval, ARTIFACT_MAX_MB_DEFAULT * 1024L * 1024L, SnakeLimits.DEFAULTS);
    }

    /** @return a copy with another artifact size cap */
    public MixerSettings withArtifactMaxBytes(long bytes) {
        return new MixerSettings(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl,
                rackCertLifetime, offlineAfterPeriods, sweepInterval, bytes, snakeLimits);
    }

    /** @return a copy with other Snake limits */
    public MixerSettings withSnakeLimits(SnakeLimits limits) {
        return new MixerSettings(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl,
                rackCertLifetime, offlineAfterPeriods, sweepInterval, artifactMaxBytes, limits);
    }

    /**
     * @return the Mixer's NATS creds file {@code <data>/nats/mixer.creds} (a user of the Mixer's
     *     account, mode 0600), or null when there is none: then the Mixer connects without
     *     authentication, which only a development server without authentication accepts
     */
    public Path natsCredentials() {
        Path creds = data.resolve("nats").resolve("mixer.creds");
        return java.nio.file.Files.isRegularFile(creds) ? creds : null;
    }

    /**
     * @return the root of trust of the NATS the Mixer signs rack credentials for,
     *     {@code <data>/nats/trust} (operator and account seeds, mode 0700), or null when there is
     *     none: then racks get no NATS credential from the Mixer
     */
    public Path natsTrust() {
        Path trust = data.resolve("nats").resolve("trust");
        return java.nio.file.Files.isDirectory(trust) ? trust : null;
    }

    /** @return the address the Snake binds, null for all interfaces */
    public String snakeBindAddress() {
        return snakeHost.isEmpty() || "*".equals(snakeHost) || "0.0.0.0".equals(snakeHost) ? null : snakeHost;
    }

    /**
     * @param property reads a framework property (null when unset)
     * @param config the tunables
     * @return the settings
     * @throws IllegalArgumentException naming the property when a value is invalid
     */
    public static MixerSettings from(Function<String, String> property, MixerConfig config) {
        int snakePort = port(property, SNAKE_PORT, 7443);
        List<String> names = new ArrayList<>();
        for (String n : text(property, HOSTS, "localhost,127.0.0.1").split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(HOSTS + ": at least one host name or IP is needed");
        }
        if (config.rack_cert_days() < 1 || config.offline_after_periods() < 1 || config.sweep_interval_ms() < 10) {
            throw new IllegalArgumentException("fluxrig.mixer configuration: rack.cert.days and offline.after.periods "
                    + "must be 1 or more, sweep.interval.ms 10 or more");
        }
        return new MixerSettings(Path.of(text(property, DATA, "./data/mixer")), text(property, NATS, "nats://127.0.0.1:4222"),
                text(property, SNAKE_HOST, SNAKE_HOST_DEFAULT), snakePort, text(property, API_HOST, "127.0.0.1"), port(property, API_PORT, 8443),
                List.copyOf(names), text(property, ADVERTISE, names.get(0) + ":" + snakePort),
                text(property, CONSOLE_URL, "https://127.0.0.1:8443/system/console"),
                Duration.ofDays(config.rack_cert_days()), config.offline_after_periods(),
                Duration.ofMillis(config.sweep_interval_ms()), artifactMaxMb(property) * 1024L * 1024L,
                new SnakeLimits(Duration.ofMillis(config.snake_idle_timeout_ms()), config.snake_min_request_rate(),
                        config.snake_unauthenticated_per_source(), config.snake_unauthenticated_total(),
                        config.snake_max_connections()));
    }

    private static long artifactMaxMb(Function<String, String> property) {
        String v = text(property, ARTIFACT_MAX_MB, Integer.toString(ARTIFACT_MAX_MB_DEFAULT));
        try {
            long mb = Long.parseLong(v);
            if (mb < 1 || mb > 1024 * 1024) {
                throw new NumberFormatException();
            }
            return mb;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ARTIFACT_MAX_MB + ": '" + v + "' must be a whole number of MiB, 1 to 1048576");
        }
    }

    private static String text(Function<String, String> property, String key, String fallback) {
        String v = property.apply(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int port(Function<String, String> property, String key, int fallback) {
        String v = text(property, key, Integer.toString(fallback));
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a port (0-65535)");
        }
    }
}
