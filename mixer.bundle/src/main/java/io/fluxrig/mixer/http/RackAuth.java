package io.fluxrig.mixer.http;

import io.fluxrig.mixer.ca.MixerCa;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import java.io.IOException;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Who is calling a {@code /snake/*} endpoint. The TLS layer has already checked that a presented
 * client certificate chains to the Mixer CA and is valid now; here a request additionally needs a
 * certificate at all, a registered rack with that CN, a state other than revoked, and a serial
 * the registry accepts ({@link RackRecord#accepts}: the one issued last, or during a renewal the
 * one it replaces). The record comes from the registry's in-memory view ({@link RackRegistry#known}),
 * which the registry's own writes (a revocation, a re-enrolment, a renewal) update before they
 * return and the KV watch updates for writes of another Mixer: no NATS round trip holds the
 * Snake's thread. Stateless; used on Jetty's threads.
 */
final class RackAuth {
    /**
     * An authenticated caller.
     *
     * @param name the rack
     * @param serial hex serial presented
     * @param certificate the client certificate
     * @param record the rack's record as the view held it, without inventory
     */
    record Caller(String name, String serial, X509Certificate certificate, RackRecord record) {
    }

    private final RackRegistry racks;

    RackAuth(RackRegistry racks) {
        this.racks = racks;
    }

    Caller authenticate(Request request) throws Exchange.Refused, IOException {
        X509Certificate cert = clientCertificate(request);
        String name = MixerCa.commonName(cert.getSubjectX500Principal().getName());
        String serial = cert.getSerialNumber().toString(16);
        RackRecord known = racks.known(name).orElseThrow(() -> new Exchange.Refused(403, "unknown rack '" + name + "'"));
        refuseIfNotAccepted(known, serial);
        return new Caller(name, serial, cert, known);
    }

    static X509Certificate clientCertificate(Request request) throws Exchange.Refused {
        Object d = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] peer = d instanceof EndPoint.SslSessionData s ? s.peerCertificates() : null;
        if (peer == null || peer.length == 0) {
            throw new Exchange.Refused(401, "client certificate required");
        }
        return peer[0];
    }

    static void refuseIfNotAccepted(RackRecord r, String serial) throws Exchange.Refused {
        if (RackRecord.REVOKED.equals(r.state())) {
            throw new Exchange.Refused(403, "rack '" + r.name() + "' is revoked");
        }
        if (!r.accepts(serial)) {
            throw new Exchange.Refused(403, "certificate superseded: rack '" + r.name() + "' has a newer certificate "
                    + "(re-enrolled or renewed)");
        }
    }

    /** @return HOST:PORT of the peer: one TCP connection (and so one HTTP/2 connection) per value */
    static String connection(Request request) {
        return String.valueOf(request.getConnectionMetaData().getRemoteSocketAddress());
    }
}
