package io.fluxrig.snake.api.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a client requires of the certificate the Mixer (or a NATS server, {@link
 * TlsContexts#verifyingServer}) serves, beyond a chain to the CA it trusts: the
 * TLS server extended key usage ({@code serverAuth}) and a subject alternative name equal to the
 * address the client dialled (a DNS name for a host name, an IP address for an IP literal). The
 * JDK's own host name check falls back to the subject CN when a certificate has no DNS name, and
 * accepts a certificate without any extended key usage; a rack certificate (CN = rack name,
 * {@code clientAuth} only, no SAN) issued by the same CA must never pass as the Mixer, even for a
 * rack named like the Mixer's host. Stateless.
 */
public final class MixerServerCheck {
    /** OID of the TLS server authentication extended key usage. */
    public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private MixerServerCheck() {
    }

    /**
     * @param leaf the server's certificate
     * @param dialled the host name or IP literal the client connected to
     * @throws CertificateException naming what is missing: the serverAuth usage, or a SAN for
     *         {@code dialled} (with the names the certificate holds)
     */
    public static void check(X509Certificate leaf, String dialled) throws CertificateException {
        check(leaf, dialled, "the Mixer");
    }

    /**
     * {@link #check(X509Certificate, String)} for any TLS server.
     *
     * @param server what the server is, for the messages (e.g. {@code "the Mixer"}, {@code "a NATS server"})
     */
    public static void check(X509Certificate leaf, String dialled, String server) throws CertificateException {
        List<String> usages = leaf.getExtendedKeyUsage();
        if (usages == null || !usages.contains(SERVER_AUTH)) {
            throw new CertificateException("the server's certificate (" + leaf.getSubjectX500Principal().getName()
                    + ") is not a TLS server certificate: its extended key usage " + (usages == null ? "is absent" : usages)
                    + " lacks serverAuth (" + SERVER_AUTH + "); a client certificate (a rack's) cannot serve as " + server);
        }
        if (dialled == null || dialled.isBlank()) {
            throw new CertificateException("the address dialled is unknown, so the server's certificate cannot be matched to it");
        }
        String host = dialled.startsWith("[") && dialled.endsWith("]") ? dialled.substring(1, dialled.length() - 1) : dialled;
        boolean ip = IPV4.matcher(host).matches() || host.contains(":");
        List<String> names = new ArrayList<>();
        for (List<?> san : sans(leaf)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            names.add(value);
            if (ip && type == SAN_IP && sameAddress(host, value)) {
                return;
            }
            if (!ip && type == SAN_DNS && value.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        throw new CertificateException("the server's certificate has no subject alternative name for the dialled "
                + (ip ? "IP address " : "host ") + host + " (it names " + (names.isEmpty() ? "none" : names) + ")");
    }

    /**
     * @param base the chain check (PKIX to the Mixer CA, or a pinned CA)
     * @return a trust manager that runs {@code base} and then {@link #check} against the host the
     *         connection was opened to (the JDK HTTP client gives its engine the URI's host)
     */
    public static X509ExtendedTrustManager wrap(X509ExtendedTrustManager base) {
        return wrap(base, "the Mixer");
    }

    /**
     * {@link #wrap(X509ExtendedTrustManager)} for any TLS server.
     *
     * @param server what the server is, for the messages (e.g. {@code "a NATS server"})
     */
    public static X509ExtendedTrustManager wrap(X509ExtendedTrustManager base, String server) {
        return new Wrapped(base, server);
    }

    private static Collection<List<?>> sans(X509Certificate leaf) throws CertificateParsingException {
        Collection<List<?>> s = leaf.getSubjectAlternativeNames();
        return s == null ? List.of() : s;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals only: no name lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static final class Wrapped extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager base;
        private final String server;

        Wrapped(X509ExtendedTrustManager base, String server) {
            this.base = base;
            this.server = server;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            base.checkServerTrusted(chain, authType, engine);
            check(chain[0], engine == null ? null : engine.getPeerHost(), server);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            base.checkServerTrusted(chain, authType, socket);
            check(chain[0], socket == null || socket.getInetAddress() == null ? null : host(socket), server);
        }

        private static String host(Socket socket) {
            return socket instanceof javax.net.ssl.SSLSocket s && s.getHandshakeSession() != null
                    && s.getHandshakeSession().getPeerHost() != null ? s.getHandshakeSession().getPeerHost()
                            : socket.getInetAddress().getHostAddress();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the dialled address is needed to check the certificate of " + server);
        }

        // Clients only dial with this; a client chain gets the base check, never waved through.
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            base.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            base.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            base.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return base.getAcceptedIssuers();
        }
    }
}
