package io.fluxrig.cli.launch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rack's tracing settings as configuration {@value #PID} (rack.telemetry) in a file FileInstall
 * hands to ConfigAdmin: {@code <data>/gears/fluxrig.telemetry.cfg}. Written by
 * {@code rack --otlp URL} and {@code demo --otlp URL}; without {@code --otlp} an existing file is
 * kept, to be edited or deleted there (the rack also reads the standard {@code OTEL_*} variables).
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

    /** Writes {@code <gears>/fluxrig.telemetry.cfg}: tracing on, spans to {@code url}. */
    static void write(Path gears, String url) throws IOException {
        Files.createDirectories(gears);
        Files.writeString(gears.resolve(PID + ".cfg"), "enabled=true\nendpoint=" + url.strip() + "\n");
    }
}
