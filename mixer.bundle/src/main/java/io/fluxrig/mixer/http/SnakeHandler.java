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
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.command.Commands;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snake endpoint's requests: {@code GET /ca}, {@code POST /enrol} (TLS server auth only) and,
 * with mutual TLS, {@code POST /snake/heartbeat}, {@code POST /snake/renew},
 * {@code GET /snake/commands}, {@code POST /snake/commands/result} and
 * {@code GET /snake/artifacts/<hex>}. Runs on Jetty's threads; all state is in the stores,
 * which are thread-safe.
 *
 * <p>Security: every {@code /snake/*} request is authenticated by {@link RackAuth}.
 *
 * <p>Renewal and the serial switch: a renewal records the new serial as current and the presented
 * one as {@code previousSerial}; both are accepted until the first request with the new one, which
 * retires the previous. Why: the rack may not get or keep the new certificate (answer lost, crash
 * before its files are renamed), and then it must go on with the old one and renew again; once
 * the new certificate is seen the rack has stored it, and the old one is refused from then on.
 * Re-enrolment clears {@code previousSerial}: an old certificate is superseded at once.
 */
public final class SnakeHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(SnakeHandler.class);

    private final MixerCa ca;
    private final TokenStore tokens;
    private final RackRegistry racks;
    private final Duration rackCertLifetime;
    private final Clock clock;
    private final ObjectMapper json;
    private final RackAuth auth;
    private final CommandEndpoint commands;
    private final ArtifactEndpoint artifacts;
    private final SnakeObserver observer;

    /**
     * @param ca issues rack certificates
     * @param tokens enrolment tokens
     * @param racks the registry
     * @param rackCertLifetime validity of issued rack certificates
     * @param clock time source
     * @param json the Mixer's mapper
     * @param commands the rack commands
     * @param artifacts the artifacts racks may fetch
     * @param scheduler completes held command polls
     * @param observer sees heartbeats and transfers
     */
    public SnakeHandler(MixerCa ca, TokenStore tokens, RackRegistry racks, Duration rackCertLifetime, Clock clock,
            ObjectMapper json, Commands commands, Artifacts artifacts, ScheduledExecutorService scheduler,
            SnakeObserver observer) {
        this.ca = ca;
        this.tokens = tokens;
        this.racks = racks;
        this.rackCertLifetime = rackCertLifetime;
        this.clock = clock;
        this.json = json;
        this.auth = new RackAuth(racks);
        this.commands = new CommandEndpoint(commands, scheduler, json);
        this.artifacts = new ArtifactEndpoint(artifacts, observer, json);
        this.observer = observer;
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
                long arrived = clock.millis(); // before any registry (NATS) round trip
                RackAuth.Caller c = auth.authenticate(request);
                Exchange.reply(response, callback, json, 200, heartbeat(c, request, Exchange.jsonBody(request, json)));
                observer.heartbeat(c.name(), RackAuth.connection(request), arrived);
            } else if ("/snake/renew".equals(path) && HttpMethod.POST.is(method)) {
                RackAuth.Caller c = auth.authenticate(request);
                Exchange.reply(response, callback, json, 200, renew(c, Exchange.jsonBody(request, json)));
            } else if ("/snake/commands".equals(path) && HttpMethod.GET.is(method)) {
                commands.poll(auth.authenticate(request).name(), request, response, callback);
            } else if ("/snake/commands/result".equals(path) && HttpMethod.POST.is(method)) {
                RackAuth.Caller c = auth.authenticate(request);
                Exchange.reply(response, callback, json, 200, commands.result(c.name(), Exchange.jsonBody(request, json)));
            } else if (path.startsWith("/snake/artifacts/") && HttpMethod.GET.is(method)) {
                RackAuth.Caller c = auth.authenticate(request);
                artifacts.send(c.name(), path.substring("/snake/artifacts/".length()), request, response, callback);
            } else {
                Exchange.error(response, callback, json, 404, "no such endpoint: " + method + " " + path);
            }
        } catch (Exchange.Refused r) {
            Exchange.error(response, callback, json, r.status, r.getMessage());
        } catch (java.io.IOException e) {
            // The registry lives in NATS: while it is unreachable, say so rather than a bare 500.
            LOG.warn("Snake request {} {} failed: {}", method, path, e.getMessage());
            Exchange.error(response, callback, json, 503, "the Mixer's registry is unavailable: " + e.getMessage());
        }
        return true;
    }

    /** Certificates start a little in the past (clock skew), at most a tenth of their lifetime. */
    private Instant notBefore() {
        Duration back = rackCertLifetime.dividedBy(10);
        return clock.instant().minus(back.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : back);
    }

    private Duration lifetimeFrom(Instant notBefore) {
        return Duration.between(notBefore, clock.instant()).plus(rackCertLifetime);
    }

    private ObjectNode enrol(ObjectNode body) throws Exception {
        String token = Exchange.text(body, "token", true);
        String csr = Exchange.text(body, "csr", true);
        long now = clock.millis();
        TokenRecord t;
        X509Certificate cert;
        try {
            t = tokens.check(token, now);
            Instant from = notBefore();
            cert = ca.issueRack(csr, t.rack(), from, lifetimeFrom(from));
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

    private ObjectNode heartbeat(RackAuth.Caller c, Request request, ObjectNode body) throws Exception {
        String name = c.name();
        String serial = c.serial();
        String address = Request.getRemoteAddr(request);
        long now = clock.millis();
        JsonNode inventory = body.get("inventory");
        long period = body.path("heartbeatMillis").asLong(5000);
        Map<String, String> versions = new HashMap<>();
        body.path("versions").fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        RackRecord after = racks.update(name, r -> RackRecord.REVOKED.equals(r.state()) || !r.accepts(serial) ? r
                : new RackRecord(r.name(), r.labels(), RackRecord.ONLINE, r.firstSeen(), now, address, r.certSerial(),
                        r.certNotAfter(), period, versions, inventory, RackRecord.ONLINE.equals(r.state()) ? r.reason() : "heartbeat",
                        serial.equals(r.certSerial()) ? null : r.previousSerial()))
                .orElseThrow(() -> new Exchange.Refused(403, "unknown rack '" + name + "'"));
        RackAuth.refuseIfNotAccepted(after, serial); // revoked or superseded while this heartbeat was in flight
        if (c.record().previousSerial() != null && after.previousSerial() == null) {
            LOG.info("rack {} uses its renewed certificate (serial {}); serial {} retired", name, serial,
                    c.record().previousSerial());
        }
        ObjectNode o = json.createObjectNode();
        o.put("rack", name);
        o.put("state", after.state());
        o.putArray("commands"); // commands travel on the command stream (GET /snake/commands)
        return o;
    }

    private ObjectNode renew(RackAuth.Caller c, ObjectNode body) throws Exception {
        String csr = Exchange.text(body, "csr", true);
        X509Certificate cert;
        try {
            Instant from = notBefore();
            cert = ca.issueRack(csr, c.name(), from, lifetimeFrom(from));
        } catch (CsrException e) {
            LOG.warn("renewal of rack {} refused: {}", c.name(), e.getMessage());
            throw new Exchange.Refused(400, e.getMessage());
        }
        String serial = cert.getSerialNumber().toString(16);
        RackRecord after = racks.update(c.name(), r -> RackRecord.REVOKED.equals(r.state()) || !r.accepts(c.serial()) ? r
                : r.renewed(serial, cert.getNotAfter().getTime(), c.serial()))
                .orElseThrow(() -> new Exchange.Refused(403, "unknown rack '" + c.name() + "'"));
        if (!serial.equals(after.certSerial())) {
            RackAuth.refuseIfNotAccepted(after, c.serial());
            throw new Exchange.Refused(409, "rack '" + c.name() + "' changed during the renewal; try again");
        }
        LOG.info("rack {} certificate renewed: serial {} valid until {} (serial {} accepted until the new one is used)",
                c.name(), serial, cert.getNotAfter().toInstant(), c.serial());
        ObjectNode o = json.createObjectNode();
        o.put("rack", c.name());
        o.put("certificate", Pem.certificates(cert, ca.certificate()));
        return o;
    }
}
