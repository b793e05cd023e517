package io.fluxrig.gear.json.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the one {@link HttpClient} an instance owns (its connection pool) from the configuration:
 * version, connect timeout, executor and TLS. Reading the PKCS12 stores is a small local file read,
 * done once at activation. Stateless.
 */
final class Clients {
    private Clients() {
    }

    /**
     * @param config the configuration
     * @param executor the instance's executor (owned by the caller, which shuts it down)
     * @return the client
     * @throws IllegalArgumentException naming the attribute when a setting or a store is unusable
     */
    static HttpClient build(HttpConfig config, ExecutorService executor) {
        HttpClient.Version version = switch (config.http_version()) {
            case "HTTP_1_1" -> HttpClient.Version.HTTP_1_1;
            case "HTTP_2" -> HttpClient.Version.HTTP_2;
            default -> throw new IllegalArgumentException("json.http config http.version: '" + config.http_version()
                    + "' is not HTTP_1_1 or HTTP_2");
        };
        if (config.connect_timeout_ms() <= 0) {
            throw new IllegalArgumentException("json.http config connect.timeout.ms must be > 0");
        }
        HttpClient.Builder b = HttpClient.newBuilder().version(version).executor(executor)
                .connectTimeout(Duration.ofMillis(config.connect_timeout_ms()))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!blank(config.trust_store()) || !blank(config.key_store())) {
            b.sslContext(ssl(config));
        }
        return b.build();
    }

    private static SSLContext ssl(HttpConfig config) {
        try {
            TrustManagerFactory tmf = null;
            if (!blank(config.trust_store())) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load("trust.store", config.trust_store(), config._trust_store_password()));
            }
            KeyManagerFactory kmf = null;
            if (!blank(config.key_store())) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load("key.store", config.key_store(), config._key_store_password()), chars(config._key_store_password()));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("json.http config TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String attribute, String file, String password) {
        try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, chars(password));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("json.http config " + attribute + ": cannot load PKCS12 " + file + ": " + e.getMessage(), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
