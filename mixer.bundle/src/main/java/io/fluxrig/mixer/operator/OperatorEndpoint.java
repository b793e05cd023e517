package io.fluxrig.mixer.operator;

import io.fluxrig.mixer.MixerSettings;
import java.util.Dictionary;
import java.util.Hashtable;

/**
 * Where the operator surface (REST API under {@code /api}, Web Console under
 * {@code /system/console}) is served: one HTTPS address of Felix HTTP. Registered as a service
 * while the Mixer runs, for {@link FelixHttpsConfiguration}. Immutable.
 *
 * @param host bind address, empty for all interfaces
 * @param port TCP port
 * @param keystore the server key store
 */
public record OperatorEndpoint(String host, int port, HttpsKeystore keystore) {
    /** The Felix HTTP configuration PID (Felix jetty12 reads it as a ManagedService). */
    public static final String FELIX_HTTP_PID = "org.apache.felix.http";

    /** @throws IllegalArgumentException when the port is not 1-65535 */
    public OperatorEndpoint {
        checkPort(port);
    }

    /**
     * @param port the configured API port
     * @throws IllegalArgumentException for 0 (Felix HTTP would pick a port no one is told about,
     *         and the readiness line must name it) or a value outside 1-65535
     */
    static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(MixerSettings.PID + " " + MixerSettings.API_PORT + ": " + port
                    + " cannot be used for the operator endpoint; choose a port from 1 to 65535");
        }
    }

    /**
     * The {@value #FELIX_HTTP_PID} configuration: HTTPS only (plain HTTP off), TLS 1.3 only, HTTP/2
     * over ALPN with HTTP/1.1 for browsers and curl, no client certificates (the API has its bearer
     * token, the console its credentials).
     *
     * @return the properties
     */
    public Dictionary<String, Object> felixConfiguration() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.enable", false);
        p.put("org.apache.felix.https.enable", true);
        p.put("org.apache.felix.http.host", host.isEmpty() ? "0.0.0.0" : host);
        p.put("org.osgi.service.http.port.secure", port);
        p.put("org.apache.felix.https.keystore", keystore.file().toString());
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
        p.put("org.apache.felix.https.keystore.password", keystore.password());
        p.put("org.apache.felix.https.keystore.key.password", keystore.password());
        p.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3");
        p.put("org.apache.felix.https.clientcertificate", "none");
        p.put("org.apache.felix.http2.enable", true);
        p.put("org.apache.felix.jetty.alpn.protocols", "h2,http/1.1");
        p.put("org.apache.felix.jetty.alpn.defaultProtocol", "http/1.1");
        p.put("org.apache.felix.http.name", "fluxrig-mixer");
        return p;
    }

    /** @return the base URL operators use: the bind address, or 127.0.0.1 when bound to all */
    public String url() {
        String h = host.isEmpty() || "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return "https://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
