package io.fluxrig.cli.launch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A rack's tracing settings as configuration {@value #PID} (rack.telemetry), a file in the rack's
 * {@code etc/} folder like its other settings ({@link EtcFiles}): {@code rack --otlp URL} and
 * {@code demo --otlp URL} write {@code etc/fluxrig.telemetry.cfg} at first start; afterwards a
 * user's edit is kept, and only {@code --otlp} given again with another URL changes the
 * {@code endpoint} line (said on stderr). Without {@code --otlp} nothing is written (the rack also
 * reads the standard {@code OTEL_*} variables). A file the user dropped into {@code gears/} is
 * the one used instead, as for the Snake's. Stateless.
 */
final class TelemetryConfigFile {
    /** rack.telemetry's configuration PID. */
    static final String PID = "fluxrig.telemetry";

    private TelemetryConfigFile() {
    }

    /**
     * @param url the collector's OTLP/HTTP base URL, e.g. {@code http://127.0.0.1:4318}
     * @return a problem with the URL, or null when it is usable
     */
    static String problem(String url) {
        try {
            URI u = URI.create(url.strip());
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                return "--otlp " + url + " is not an http(s) URL with a host, e.g. http://127.0.0.1:4318";
            }
            if (u.getUserInfo() != null) {
                return "--otlp: credentials do not belong in the URL (set OTEL_EXPORTER_OTLP_HEADERS for the rack)";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "--otlp " + url + " is not a URL: " + e.getMessage();
        }
    }

    /**
     * Tracing on, spans to {@code url}: writes {@code <data>/etc/fluxrig.telemetry.cfg} when missing,
     * else sets its {@code enabled}/{@code endpoint} lines where they say otherwise.
     *
     * @param data the rack's data folder
     * @return the file that holds the setting
     */
    static Path ensure(Path data, String url) throws IOException {
        Path dropped = data.resolve("gears").resolve(PID + ".cfg");
        Path file = Files.exists(dropped) ? dropped : data.resolve("etc").resolve(PID + ".cfg");
        EtcFiles.ensure(file, "fluxrig rack --otlp", List.of(
                EtcFiles.Setting.given("enabled", true, "--otlp"),
                EtcFiles.Setting.given("endpoint", url.strip(), "--otlp")));
        return file;
    }
}
