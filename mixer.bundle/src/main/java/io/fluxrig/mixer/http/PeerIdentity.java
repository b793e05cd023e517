package io.fluxrig.mixer.http;

import io.fluxrig.mixer.ca.MixerCa;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Reads a rack's identity from a TLS session. Stateless. */
final class PeerIdentity {
    private PeerIdentity() {
    }

    /** @return the leaf client certificate, or null when the client sent none */
    static X509Certificate leaf(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            return peer.length > 0 && peer[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    /** @return the rack name (CN) of the session's client certificate, or null */
    static String rackOf(SSLSession session) {
        X509Certificate c = leaf(session);
        return c == null ? null : MixerCa.commonName(c.getSubjectX500Principal().getName());
    }
}
