package io.fluxrig.gear.json.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.RecordingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * json.http over TLS against a real HttpsServer whose self-signed certificates (server and
 * client) are generated here with the JDK's keytool; the server requires a client certificate.
 */
class JsonHttpsTest {
    private static final String PASS = "changeit";
    @TempDir
    static Path dir;
    private static HttpsServer server;

    @BeforeAll
    static void start() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", p("server.p12"), "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-alias", "server", "-keystore", p("server.p12"), "-storepass", PASS, "-file", p("server.cer"));
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", p("server.cer"), "-storetype", "PKCS12",
                "-keystore", p("trust.p12"), "-storepass", PASS);
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=fluxrig-client",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", p("client.p12"), "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-alias", "client", "-keystore", p("client.p12"), "-storepass", PASS, "-file", p("client.cer"));
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", p("client.cer"), "-storetype", "PKCS12",
                "-keystore", p("server-trust.p12"), "-storepass", PASS);

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store("server.p12"), PASS.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store("server-trust.p12"));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/auth", ex -> {
            String who = ((com.sun.net.httpserver.HttpsExchange) ex).getSSLSession().getPeerPrincipal().getName();
            ex.getRequestBody().readAllBytes();
            byte[] b = ("{\"client\":\"" + who + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String p(String name) {
        return dir.resolve(name).toString();
    }

    private static KeyStore store(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            return ks;
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + out);
        }
    }

    private Cfg cfg() {
        Cfg c = new Cfg("https://127.0.0.1:" + server.getAddress().getPort() + "/auth");
        c.trustStore = p("trust.p12");
        c.trustStorePassword = PASS;
        c.keyStore = p("client.p12");
        c.keyStorePassword = PASS;
        return c;
    }

    private RecordingContext.Emitted call(Cfg c) throws Exception {
        JsonHttpGear gear = new JsonHttpGear(c, Map.of("fluxrig.gear.instance", "tls"));
        try {
            RecordingContext rec = new RecordingContext("issuer");
            gear.onMessage("in", FluxMsg.builder().data("pan", "4111").build(), rec);
            return rec.next();
        } finally {
            gear.deactivate();
        }
    }

    @Test
    void mutualTlsWithTrustStoreAndClientCertificate() throws Exception {
        RecordingContext.Emitted e = call(cfg());
        assertEquals("out", e.port(), String.valueOf(e.msg().meta("error")));
        assertEquals("CN=fluxrig-client", e.msg().get("client"));
    }

    @Test
    void http2SettingOverTlsFallsBackToHttp11() throws Exception {
        Cfg c = cfg();
        c.httpVersion = "HTTP_2";
        RecordingContext.Emitted e = call(c);
        assertEquals("out", e.port(), String.valueOf(e.msg().meta("error")));
    }

    @Test
    void untrustedServerCertificateGoesToError() throws Exception {
        Cfg c = cfg();
        c.trustStore = "";
        RecordingContext.Emitted e = call(c);
        assertEquals("error", e.port());
        assertTrue(e.msg().meta("error").contains("TLS failure"), e.msg().meta("error"));
    }

    @Test
    void missingClientCertificateGoesToError() throws Exception {
        Cfg c = cfg();
        c.keyStore = "";
        RecordingContext.Emitted e = call(c);
        assertEquals("error", e.port());
    }
}
