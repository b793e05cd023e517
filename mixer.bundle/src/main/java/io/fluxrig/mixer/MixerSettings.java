package io.fluxrig.mixer;

import io.fluxrig.mixer.http.SnakeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Mixer's settings, from its configuration {@code fluxrig.mixer} ({@link MixerConfig}, the file
 * {@code etc/fluxrig.mixer.cfg} in the Mixer's folder) and that folder, the working directory the
 * launcher starts the Mixer in. Immutable.
 *
 * @param data the Mixer's folder: CA, operator token hash, hand-off files
 * @param nats {@value #NATS}: the registry's NATS (default {@code nats://127.0.0.1:4222})
 * @param snakeHost {@value #SNAKE_HOST}: bind address of the Snake (default {@value #SNAKE_HOST_DEFAULT}),
 *        {@code *} or {@code 0.0.0.0} for all interfaces
 * @param snakePort {@value #SNAKE_PORT}: default 7443
 * @param apiHost {@value #API_HOST}: default 127.0.0.1
 * @param apiPort {@value #API_PORT}: default 8443
 * @param serverNames {@value #HOSTS}: names and IPs in the server certificate
 * @param advertise {@value #ADVERTISE}: HOST:PORT racks dial, printed in the token command
 * @param consoleUrl the Web Console's address, printed in the readiness line
 * @param rackCertLifetime lifetime of rack certificates
 * @param offlineAfterPeriods missed heartbeat periods before a rack is offline
 * @param sweepInterval how often the offline rule runs
 * @param artifactMaxBytes {@value #ARTIFACT_MAX_MB} (MiB, default {@value #ARTIFACT_MAX_MB_DEFAULT}):
 *        the largest artifact {@code POST /api/artifacts} stores
 * @param snakeLimits timeouts, data rate and request caps of the Snake
 * @param kvReplicas replicas of the Mixer's KV buckets when it creates them: 1 on one server, 3 (or
 *        5) on a cluster
 * @param traceSearchUrl {@value #TRACE_SEARCH_URL}: the operator's trace backend's search, with
 *        placeholders ({@link io.fluxrig.snake.api.rollout.RolloutTraces#of}); empty: no link
 */
public record MixerSettings(Path data, String nats, String snakeHost, int snakePort, String apiHost, int apiPort,
        List<String> serverNames, String advertise, String consoleUrl, Duration rackCertLifetime,
        int offlineAfterPeriods, Duration sweepInterval, long artifactMaxBytes, SnakeLimits snakeLimits, int kvReplicas,
        String traceSearchUrl) {
    /** The configuration PID. */
    public static final String PID = "fluxrig.mixer";
    public static final String NATS = "nats";
    public static final String SNAKE_HOST = "snake.host";
    public static final String SNAKE_PORT = "snake.port";
    public static final String API_HOST = "api.host";
    public static final String API_PORT = "api.port";
    public static final String HOSTS = "hosts";
    public static final String ADVERTISE = "advertise";
    public static final String ARTIFACT_MAX_MB = "artifact.max.mb";
    public static final String TRACE_SEARCH_URL = "trace.search.url";
    public static final int ARTIFACT_MAX_MB_DEFAULT = 256;
    /** Loopback: racks on other machines need the Snake on an interface they reach, configured. */
    public static final String SNAKE_HOST_DEFAULT = "127.0.0.1";

    /** Settings with the default artifact size cap (the constructor tests and older callers use). */
    public MixerSettings(Path data, String nats, String snakeHost, int snakePort, String apiHost, int apiPort,
            List<String> serverNames, String advertise, String consoleUrl, Duration rackCertLifetime,
            int offlineAfterPeriods, Duration sweepInterval) {
        this(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl, rackCertLifetime,
                offlineAfterPeriods, sweepInterval, ARTIFACT_MAX_MB_DEFAULT * 1024L * 1024L, SnakeLimits.DEFAULTS, 1, "");
    }

    /** @return a copy with another artifact size cap */
    public MixerSettings withArtifactMaxBytes(long bytes) {
        return new MixerSettings(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl,
                rackCertLifetime, offlineAfterPeriods, sweepInterval, bytes, snakeLimits, kvReplicas, traceSearchUrl);
    }

    /** @return a copy with other Snake limits */
    public MixerSettings withSnakeLimits(SnakeLimits limits) {
        return new MixerSettings(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl,
                rackCertLifetime, offlineAfterPeriods, sweepInterval, artifactMaxBytes, limits, kvReplicas, traceSearchUrl);
    }

    /** @return a copy whose KV buckets are created with this many replicas */
    public MixerSettings withKvReplicas(int replicas) {
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("kv.replicas: " + replicas + " must be 1 to 5 (1 on one server, 3 or 5 on a cluster)");
        }
        return new MixerSettings(data, nats, snakeHost, snakePort, apiHost, apiPort, serverNames, advertise, consoleUrl,
                rackCertLifetime, offlineAfterPeriods, sweepInterval, artifactMaxBytes, snakeLimits, replicas, traceSearchUrl);
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
     * @return the CA of the NATS servers' certificates, {@code <data>/nats/ca.crt} (PEM; {@code
     *     fluxrig mixer --nats-ca} puts it there), or null when there is none: then {@code tls://}
     *     URLs use the JVM's trust store and {@code nats://} URLs are plaintext
     */
    public Path natsCa() {
        Path ca = data.resolve("nats").resolve("ca.crt");
        return java.nio.file.Files.isRegularFile(ca) ? ca : null;
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
     * @param config the configuration {@value #PID}
     * @param data the Mixer's folder
     * @return the settings
     * @throws IllegalArgumentException naming the attribute when a value is invalid
     */
    public static MixerSettings from(MixerConfig config, Path data) {
        int snakePort = port(SNAKE_PORT, config.snake_port());
        int apiPort = port(API_PORT, config.api_port());
        List<String> names = new ArrayList<>();
        for (String n : config.hosts().split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(PID + " " + HOSTS + ": at least one host name or IP is needed");
        }
        if (config.rack_cert_days() < 1 || config.offline_after_periods() < 1 || config.sweep_interval_ms() < 10) {
            throw new IllegalArgumentException(PID + ": rack.cert.days and offline.after.periods "
                    + "must be 1 or more, sweep.interval.ms 10 or more");
        }
        if (config.artifact_max_mb() < 1 || config.artifact_max_mb() > 1024 * 1024) {
            throw new IllegalArgumentException(PID + " " + ARTIFACT_MAX_MB + ": '" + config.artifact_max_mb()
                    + "' must be a whole number of MiB, 1 to 1048576");
        }
        String apiHost = text(config.api_host(), "127.0.0.1");
        return new MixerSettings(data, text(config.nats(), "nats://127.0.0.1:4222"), text(config.snake_host(), SNAKE_HOST_DEFAULT),
                snakePort, apiHost, apiPort, List.copyOf(names), text(config.advertise(), names.get(0) + ":" + snakePort),
                "https://" + apiHost + ":" + apiPort + "/system/console",
                Duration.ofDays(config.rack_cert_days()), config.offline_after_periods(),
                Duration.ofMillis(config.sweep_interval_ms()), config.artifact_max_mb() * 1024L * 1024L,
                new SnakeLimits(Duration.ofMillis(config.snake_idle_timeout_ms()), config.snake_min_request_rate(),
                        config.snake_unauthenticated_per_source(), config.snake_unauthenticated_total(),
                        config.snake_max_connections()), 1, traceSearchUrl(config.trace_search_url())).withKvReplicas(config.kv_replicas());
    }

    /** @return the template, trimmed, or empty; refused unless it is an http(s) URL (a console link) */
    static String traceSearchUrl(String v) {
        String t = v == null ? "" : v.strip();
        if (!t.isEmpty() && !t.startsWith("https://") && !t.startsWith("http://")) {
            throw new IllegalArgumentException(PID + " " + TRACE_SEARCH_URL + ": '" + t + "' must start with http:// or https:// (or be empty)");
        }
        return t;
    }

    private static String text(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int port(String key, int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(PID + " " + key + ": '" + p + "' is not a port (0-65535)");
        }
        return p;
    }
}
