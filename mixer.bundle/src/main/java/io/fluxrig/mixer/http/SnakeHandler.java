package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fluxrig.mixer.ca.CsrException;
import io.fluxrig.mixer.ca.MixerCa;
import io.fluxrig.mixer.ca.Pem;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.mixer.store.TokenStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snake endpoint's requests: {@code GET /ca}, {@code POST /enrol} (TLS server auth only) and
 * {@code POST /snake/heartbeat} (mutual TLS). Runs on Jetty's threads; all state is in the
 * stores, which are thread-safe.
 *
 * <p>Security: the TLS layer has already checked that a presented client certificate chains to
 * the Mixer CA and is valid now. Here a heartbeat additionally needs a certificate at all, a
 * registered rack with that CN, a state other than revoked, and exactly the certificate serial
 * issued last (so a superseded certificate stops working when a rack re-enrols).
 */
public final class SnakeHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(SnakeHandler.class);

    private final MixerCa ca;
    private final TokenStore tokens;
    private final RackRegistry racks;
    private final Duration rackCertLifetime;
    private final Clock clock;
    private final ObjectMapper json;

    /**
     * @param ca issues rack certificates
     * @param tokens enrolment tokens
     * @param racks the registry
     * @param rackCertLifetime validity of issued rack certificates
     * @param clock time source
     * @param json the Mixer's mapper
     */
    public SnakeHandler(MixerCa ca, TokenStore tokens, RackRegistry racks, Duration rackCertLifetime, Clock clock,
            ObjectMapper json) {
        this.ca = ca;
        this.tokens = tokens;
        this.racks = racks;
        this.rackCertLifetime = rackCertLifetime;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            if ("/ca".equals(path) && HttpMethod.GET.is(method)) {
                ObjectNode o = json.createObjectNode();
                o.put("ca", Pem.certificates(ca.certificate()));
                o.put("caHash", ca.hash());
                Exchange.reply(response, callback, json, 200, o);
            } else if ("/enrol".equals(path) && HttpMethod.POST.is(method)) {
                Exchange.reply(response, callback, json, 200, enrol(Exchange.jsonBody(request, json)));
            } else if ("/snake/heartbeat".equals(path) && HttpMethod.POST.is(method)) {
                X509Certificate cert = clientCertificate(request);
                Exchange.reply(response, callback, json, 200, heartbeat(cert, Request.getRemoteAddr(request),
                        Exchange.jsonBody(request, json)));
            } else {
                Exchange.error(response, callback, json, 404, "no such endpoint: " + method + " " + path);
            }
        } catch (Exchange.Refused r) {
            Exchange.error(response, callback, json, r.status, r.getMessage());
        }
        return true;
    }

    private ObjectNode enrol(ObjectNode body) throws Exception {
        String token = Exchange.text(body, "token", true);
        String csr = Exchange.text(body, "csr", true);
        long now = clock.millis();
        TokenRecord t;
        X509Certificate cert;
        try {
            t = tokens.check(token, now);
            cert = ca.issueRack(csr, t.rack(), clock.instant().minusSeconds(60), rackCertLifetime);
        } catch (TokenStore.TokenRefused e) {
            LOG.warn("enrolment refused: {}", e.getMessage());
            throw new Exchange.Refused(401, e.getMessage());
        } catch (CsrException e) {
            LOG.warn("enrolment refused: {}", e.getMessage());
            throw new Exchange.Refused(400, e.getMessage());
        }
        String name = MixerCa.commonName(cert.getSubjectX500Principal().getName());
        Optional<RackRecord> existing = racks.get(name);
        if (t.rack() == null && existing.isPresent() && !RackRecord.REVOKED.equals(existing.get().state())) {
            throw new Exchange.Refused(400, "name mismatch: rack '" + name + "' is already enrolled; "
                    + "mint a token for that rack name to re-enrol it");
        }
        try {
            tokens.consume(token, name, now); // one-time: exactly one enrolment wins the CAS
        } catch (TokenStore.TokenRefused e) {
            throw new Exchange.Refused(401, e.getMessage());
        }
        long first = existing.map(RackRecord::firstSeen).orElse(now);
        racks.put(new RackRecord(name, TokenStore.copy(t.labels()), RackRecord.PENDING, first, 0, null,
                cert.getSerialNumber().toString(16), cert.getNotAfter().getTime(), 0, Map.of(), null, "enrolled"));
        LOG.info("rack {} enrolled (certificate serial {}, valid until {})", name, cert.getSerialNumber().toString(16),
                cert.getNotAfter().toInstant());
        ObjectNode o = json.createObjectNode();
        o.put("rack", name);
        o.put("certificate", Pem.certificates(cert, ca.certificate()));
        o.put("ca", Pem.certificates(ca.certificate()));
        return o;
    }

    private static X509Certificate clientCertificate(Request request) throws Exchange.Refused {
        Object d = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] peer = d instanceof EndPoint.SslSessionData s ? s.peerCertificates() : null;
        if (peer == null || peer.length == 0) {
            throw new Exchange.Refused(401, "client certificate required");
        }
        return peer[0];
    }

    private ObjectNode heartbeat(X509Certificate cert, String address, ObjectNode body) throws Exception {
        String name = MixerCa.commonName(cert.getSubjectX500Principal().getName());
        String serial = cert.getSerialNumber().toString(16);
        RackRecord known = racks.get(name).orElseThrow(() -> new Exchange.Refused(403, "unknown rack '" + name + "'"));
        refuseIfNotAccepted(known, serial);
        long now = clock.millis();
        JsonNode inventory = body.get("inventory");
        long period = body.path("heartbeatMillis").asLong(5000);
        Map<String, String> versions = new HashMap<>();
        body.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        RackRecord after = racks.update(name, r -> RackRecord.REVOKED.equals(r.state()) || !serial.equals(r.certSerial()) ? r
                : new RackRecord(r.name(), r.labels(), RackRecord.ONLINE, r.firstSeen(), now, address, r.certSerial(),
                        r.certNotAfter(), period, versions, inventory, RackRecord.ONLINE.equals(r.state()) ? r.reason() : "heartbeat"))
                .orElseThrow(() -> new Exchange.Refused(403, "unknown rack '" + name + "'"));
        refuseIfNotAccepted(after, serial); // revoked while this heartbeat was in flight
        ObjectNode o = json.createObjectNode();
        o.put("rack", name);
        o.put("state", after.state());
        o.putArray("commands"); // no command kinds exist yet (deployment is a later issue)
        return o;
    }

    private static void refuseIfNotAccepted(RackRecord r, String serial) throws Exchange.Refused {
        if (RackRecord.REVOKED.equals(r.state())) {
            throw new Exchange.Refused(403, "rack '" + r.name() + "' is revoked");
        }
        if (!serial.equals(r.certSerial())) {
            throw new Exchange.Refused(403, "certificate superseded: rack '" + r.name() + "' re-enrolled with another certificate");
        }
    }
}
