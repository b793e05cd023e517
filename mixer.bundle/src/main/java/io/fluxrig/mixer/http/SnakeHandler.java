package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.ca.CsrException;
import io.fluxrig.mixer.ca.MixerCa;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.store.InventoryChange;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.mixer.store.TokenStore;
import io.fluxrig.snake.api.CaInfo;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.mixer.nats.NatsIssuer;
import io.fluxrig.nats.trust.NKeyPair;
import io.fluxrig.snake.api.EnrolReply;
import io.fluxrig.snake.api.EnrolRequest;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.HeartbeatReply;
import io.fluxrig.snake.api.LogText;
import io.fluxrig.snake.api.LogThrottle;
import io.fluxrig.snake.api.RenewReply;
import io.fluxrig.snake.api.RenewRequest;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snake endpoint's requests, routed by the contract's {@link SnakeRoute}s: {@code CA} and
 * {@code ENROL} with TLS server authentication only, every other route with mutual TLS. Bodies
 * are the contract's records. Runs on Jetty's threads; all state is in the stores, which are
 * thread-safe.
 *
 * <p>Security: every mutual-TLS route is authenticated by {@link RackAuth} before anything else.
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
    private final HostNames hostNames;
    private final SnakeLimits limits;
    private final NatsIssuer nats;
    private final HeldInventories held = new HeldInventories();
    /** At most one refusal line a second in the log (every refusal is counted by the observer). */
    private final LogThrottle refusals = new LogThrottle(Duration.ofSeconds(1));
    /** Runs the revocations of a rack's older NATS keys off the heartbeat's thread. */
    private final ScheduledExecutorService scheduler;
    /** Largest {@code POST /snake/commands/result} body (a result's detail is a sentence or a short list). */
    private static final int COMMAND_RESULT_MAX = 256 * 1024;

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
     * @param hostNames the Mixer's own names, which no rack may take
     * @param limits the enrolment body's size and minimum data rate
     * @param nats signs the racks' NATS credentials, or null when the Mixer signs none
     */
    public SnakeHandler(MixerCa ca, TokenStore tokens, RackRegistry racks, Duration rackCertLifetime, Clock clock,
            ObjectMapper json, Commands commands, Artifacts artifacts, ScheduledExecutorService scheduler,
            SnakeObserver observer, HostNames hostNames, SnakeLimits limits, NatsIssuer nats) {
        this.nats = nats;
        this.hostNames = hostNames;
        this.limits = limits;
        this.ca = ca;
        this.tokens = tokens;
        this.racks = racks;
        this.rackCertLifetime = rackCertLifetime;
        this.clock = clock;
        this.json = json;
        this.auth = new RackAuth(racks);
        this.commands = new CommandEndpoint(commands, scheduler, json);
        this.scheduler = scheduler;
        this.artifacts = new ArtifactEndpoint(artifacts, observer, json);
        this.observer = observer;
    }

    /** @return what sees this handler's traffic and refusals (also told of the guard's refusals) */
    SnakeObserver observer() {
        return observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        answer(method, path, response, callback, () -> route(method, path, request, response, callback));
        return true;
    }

    /** One step of a request; its refusals and registry failures become the answer. */
    private interface Step {
        void run() throws Exception;
    }

    private void route(String method, String path, Request request, Response response, Callback callback) throws Exception {
        SnakeRoute route = SnakeRoute.match(method, path).orElse(null);
        if (route == null) {
            throw new Exchange.Refused(404, "no such endpoint: " + method + " " + LogText.escape(path));
        }
        long arrived = clock.millis(); // before any registry (NATS) round trip
        RackAuth.Caller c = route.mutualTls() ? auth.authenticate(request) : null;
        switch (route) {
            case CA -> Exchange.reply(response, callback, json, 200,
                    new CaInfo(Pem.certificates(ca.certificate()), ca.hash()));
            case ENROL -> readEnrolment(method, path, request, response, callback);
            case HEARTBEAT -> {
                Exchange.reply(response, callback, json, 200,
                        heartbeat(c, request, Exchange.body(request, Heartbeat.class, Exchange.MAX_BODY)));
                observer.heartbeat(c.name(), RackAuth.connection(request), arrived);
            }
            case RENEW -> Exchange.reply(response, callback, json, 200,
                    renew(c, Exchange.body(request, RenewRequest.class, SnakeLimits.ENROL_BODY_MAX)));
            case COMMANDS -> commands.poll(c.name(), request, response, callback);
            case COMMAND_RESULT -> Exchange.reply(response, callback, json, 200,
                    commands.result(c.name(), Exchange.body(request, CommandResult.class, COMMAND_RESULT_MAX)));
            case ARTIFACT -> artifacts.send(c.name(), route.rest(path), request, response, callback);
        }
    }

    /**
     * {@code POST /enrol} comes from anyone who can reach the port: its small body is read
     * asynchronously (no thread waits on a client that trickles it) against a deadline set by the
     * minimum data rate (Jetty 12.0 keeps {@code HttpConfiguration.minRequestDataRate} but does not
     * enforce it), then handled on the thread that completed the read.
     */
    @SuppressWarnings("removal") // Jetty 12.0 has no bounded asynchronous read that is not deprecated for 12.1
    private void readEnrolment(String method, String path, Request request, Response response, Callback callback)
            throws Exchange.Refused {
        Exchange.refuseDeclaredLength(request, SnakeLimits.ENROL_BODY_MAX);
        long length = request.getLength() >= 0 ? request.getLength() : SnakeLimits.ENROL_BODY_MAX;
        long deadlineMs = limits.minRequestDataRate() <= 0 ? limits.idleTimeout().toMillis()
                : Math.max(1000, length * 1000 / limits.minRequestDataRate());
        Content.Source.asRetainableByteBuffer(request, request.getComponents().getByteBufferPool(), false,
                        SnakeLimits.ENROL_BODY_MAX)
                .orTimeout(deadlineMs, TimeUnit.MILLISECONDS)
                .whenComplete((buffer, failure) -> {
                    if (failure != null) {
                        refuseEnrolmentBody(request, response, callback, failure, deadlineMs);
                        return;
                    }
                    byte[] bytes;
                    try {
                        ByteBuffer b = buffer.getByteBuffer();
                        bytes = new byte[b.remaining()];
                        b.get(bytes);
                    } finally {
                        buffer.release();
                    }
                    answer(method, path, response, callback, () -> {
                        EnrolReply reply;
                        try {
                            reply = enrol(Exchange.parse(bytes, EnrolRequest.class));
                        } catch (Exception e) {
                            observer.enrolment(false);
                            throw e;
                        }
                        observer.enrolment(true);
                        Exchange.reply(response, callback, json, 200, reply);
                    });
                });
    }

    private void refuseEnrolmentBody(Request request, Response response, Callback callback, Throwable failure, long deadlineMs) {
        Throwable why = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        int status;
        String reason;
        if (why instanceof TimeoutException) {
            status = 408;
            reason = "the enrolment body was sent too slowly: not complete within " + deadlineMs + " ms (at least "
                    + limits.minRequestDataRate() + " bytes/s)";
        } else if (why instanceof IllegalArgumentException) {
            status = 413;
            reason = "enrolment body larger than " + SnakeLimits.ENROL_BODY_MAX + " bytes";
        } else {
            status = 400;
            reason = "the enrolment body was not received: " + why.getMessage();
        }
        LOG.warn("enrolment from {} refused: {}", Request.getRemoteAddr(request), LogText.escape(reason));
        observer.enrolment(false);
        observer.refused(SnakeRoute.ENROL.name(), status);
        Exchange.error(response, callback, json, status, reason);
    }

    private void answer(String method, String path, Response response, Callback callback, Step step) {
        try {
            step.run();
        } catch (Exchange.Refused r) {
            refuse(method, path, response, callback, r.status, r.getMessage(), null);
        } catch (IOException e) {
            // The registry lives in NATS: while it is unreachable, say so rather than a bare 500.
            refuse(method, path, response, callback, 503, "the Mixer's registry is unavailable: " + e.getMessage(), null);
        } catch (Exception | LinkageError | AssertionError e) {
            Failure f = Failure.of(e);
            refuse(method, path, response, callback, f.status(), f.reason(), e);
        }
    }

    /**
     * What an exception the handler did not expect becomes: 503 for the states a caller should wait
     * out (the NATS connection closed or draining, the Mixer stopping its executors, the thread
     * interrupted), 500 for anything else; the reason always names the exception.
     */
    record Failure(int status, String reason) {
        static Failure of(Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return new Failure(503, "the Mixer is stopping: " + e);
            }
            if (e instanceof RejectedExecutionException) {
                return new Failure(503, "the Mixer is stopping or overloaded: a task was refused by its executor");
            }
            if (e instanceof IllegalStateException) { // jnats: "Connection is Closed", "... is Draining"
                return new Failure(503, "the Mixer cannot answer now: " + e.getMessage());
            }
            return new Failure(500, "the Mixer failed to answer: " + e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /**
     * Answers a refusal with its reason, tells the observer (the Mixer's metrics count refusals by
     * route and status), and logs it: at most one line per second for expected refusals (a fleet
     * can send thousands), every unexpected failure with its stack.
     */
    private void refuse(String method, String path, Response response, Callback callback, int status, String reason,
            Throwable unexpected) {
        String route = SnakeRoute.match(method, path).map(Enum::name).orElse("UNKNOWN");
        observer.refused(route, status);
        if (unexpected != null) {
            LOG.warn("Snake request {} {} answered {}: {}", method, LogText.escape(path), status, LogText.escape(reason), unexpected);
        } else {
            long skipped = refusals.admit();
            if (skipped >= 0) {
                LOG.warn("Snake request {} {} refused {}: {}{}", method, LogText.escape(path), status, LogText.escape(reason),
                        LogThrottle.more(skipped));
            }
        }
        Exchange.error(response, callback, json, status, reason);
    }

    /** Certificates start a little in the past (clock skew), at most a tenth of their lifetime. */
    private Instant notBefore() {
        Duration back = rackCertLifetime.dividedBy(10);
        return clock.instant().minus(back.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : back);
    }

    private Duration lifetimeFrom(Instant notBefore) {
        return Duration.between(notBefore, clock.instant()).plus(rackCertLifetime);
    }

    private EnrolReply enrol(EnrolRequest body) throws Exception {
        String token = Exchange.required(body.token(), "token");
        String csr = Exchange.required(body.csr(), "csr");
        checkNatsKey(body.natsKey());
        long now = clock.millis();
        TokenRecord t;
        X509Certificate cert;
        try {
            t = tokens.check(token, now);
            Instant from = notBefore();
            cert = ca.issueRack(csr, t.rack(), from, lifetimeFrom(from));
        } catch (TokenStore.TokenRefused e) {
            LOG.warn("enrolment refused: {}", LogText.escape(e.getMessage()));
            throw new Exchange.Refused(401, e.getMessage());
        } catch (CsrException e) {
            LOG.warn("enrolment refused: {}", LogText.escape(e.getMessage()));
            throw new Exchange.Refused(400, e.getMessage());
        }
        String name = MixerCa.commonName(cert.getSubjectX500Principal().getName());
        String collision = hostNames.collision(name);
        if (collision != null) {
            LOG.warn("enrolment refused: {}", LogText.escape(collision));
            throw new Exchange.Refused(400, collision);
        }
        RackRegistry.Versioned existing = racks.read(name);
        if (t.rack() == null && existing.record().isPresent()) {
            if (RackRecord.REVOKED.equals(existing.record().get().state())) {
                LOG.warn("enrolment refused: rack {} is revoked and the token is not bound to its name", name);
                throw new Exchange.Refused(403, "rack '" + name + "' is revoked: only a token minted for that rack name "
                        + "enrols it again");
            }
            throw new Exchange.Refused(400, "name mismatch: rack '" + name + "' is already enrolled; "
                    + "mint a token for that rack name to re-enrol it");
        }
        try {
            tokens.consume(token, name, now); // one-time: exactly one enrolment wins the CAS
        } catch (TokenStore.TokenRefused e) {
            throw new Exchange.Refused(401, e.getMessage());
        }
        long first = existing.record().map(RackRecord::firstSeen).orElse(now);
        try {
            // Compare-and-set on what was checked above: of two tokens enrolling one name at once,
            // one wins; the certificate issued for the other is dropped, never sent.
            racks.enrol(new RackRecord(name, TokenStore.copy(t.labels()), RackRecord.PENDING, first, 0, null,
                    cert.getSerialNumber().toString(16), cert.getNotAfter().getTime(), 0, Map.of(), null, "enrolled"), existing);
        } catch (RackRegistry.Conflict e) {
            boolean restored = tokens.restore(token, name);
            LOG.warn("enrolment of rack {} refused: another enrolment of that name came first (token {})", name,
                    restored ? "restored" : "spent");
            throw new Exchange.Refused(409, "rack '" + name + "' was enrolled by another request at the same time; "
                    + "nothing was issued for this one" + (restored ? " and its token can be used again" : ""));
        } catch (IOException e) {
            // The token is given back rather than spent only after the write: consuming it first (a
            // compare-and-set) is what lets exactly one of two enrolments racing with it write under
            // it, and a registry write made before that could not be undone (a re-enrolment replaces
            // the rack's serial, superseding its certificate). Giving it back cannot let it enrol two
            // racks: only this enrolment consumed it (restore requires the entry to still say used by
            // this name), nothing left the Mixer under it (no certificate, no NATS credential), and a
            // write that reached NATS after all (a timeout) is a compare-and-set on what was read, so
            // a later enrolment with the token either replaces that record or loses to it.
            boolean restored = restoreQuietly(token, name);
            LOG.warn("enrolment of rack {} failed: the registry write failed ({}); nothing was issued and the token is {}",
                    name, LogText.escape(e.getMessage()), restored ? "usable again" : "spent (NATS did not take it back)");
            throw new IOException(e.getMessage() + "; nothing was issued" + (restored ? ", and the token can be used again"
                    : " and the token is spent: mint a new one"), e);
        }
        LOG.info("rack {} enrolled (certificate serial {}, valid until {})", name, cert.getSerialNumber().toString(16),
                cert.getNotAfter().toInstant());
        return new EnrolReply(name, Pem.certificates(cert, ca.certificate()), Pem.certificates(ca.certificate()),
                natsJwt(name, body.natsKey(), cert));
    }

    /** {@link TokenStore#restore}, false when NATS fails again. */
    private boolean restoreQuietly(String token, String rack) {
        try {
            return tokens.restore(token, rack);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Records a heartbeat. A full inventory (or none, from a rack that names no digest) replaces the
     * stored one; a digest-only heartbeat whose digest this Mixer holds on this connection
     * ({@link HeldInventories}) puts its live part (gear instances, wire transport) into the stored
     * inventory; any other digest leaves the stored inventory as it is and the reply names no
     * digest, so the rack sends its full inventory at once. The registry decides from its view and
     * writes on its own threads ({@link RackRegistry#heartbeat}): this thread waits on NATS only for
     * a heartbeat that changes the rack's state or retires a certificate serial. When a handed-over
     * write fails, the digest is no longer held, so the rack's next heartbeat brings its full
     * inventory.
     */
    private HeartbeatReply heartbeat(RackAuth.Caller c, Request request, Heartbeat body) throws Exception {
        String name = c.name();
        String serial = c.serial();
        String address = Request.getRemoteAddr(request);
        String connection = RackAuth.connection(request);
        long now = clock.millis();
        String digest = body.inventoryDigest();
        boolean full = body.inventory() != null || digest == null;
        boolean matched = !full && held.holds(name, digest, connection);
        Runnable unheld = () -> held.forget(name, digest);
        InventoryChange inventory;
        if (full) {
            inventory = InventoryChange.replace(body.inventory() == null ? null : json.valueToTree(body.inventory()), digest, unheld);
        } else if (matched) {
            inventory = InventoryChange.live(json.valueToTree(body.gears() == null ? List.of() : body.gears()),
                    body.wireTransport() == null ? null : json.valueToTree(body.wireTransport()), unheld);
        } else {
            inventory = InventoryChange.keep();
        }
        long period = body.periodMillis();
        Map<String, String> versions = new HashMap<>(body.versions());
        if (full) {
            held.stored(name, digest, connection); // forgotten again by unheld when the write fails
        }
        RackRecord after = racks.heartbeat(name, r -> {
            if (RackRecord.REVOKED.equals(r.state()) || !r.accepts(serial)) {
                return r;
            }
            return new RackRecord(r.name(), r.labels(), RackRecord.ONLINE, r.firstSeen(), Math.max(now, r.lastSeen()), address,
                    r.certSerial(), r.certNotAfter(), period, versions, r.inventory(),
                    RackRecord.ONLINE.equals(r.state()) ? r.reason() : "heartbeat",
                    serial.equals(r.certSerial()) ? null : r.previousSerial());
        }, inventory).orElseThrow(() -> new Exchange.Refused(403, "unknown rack '" + name + "'"));
        RackAuth.refuseIfNotAccepted(after, serial); // revoked or superseded while this heartbeat was in flight
        racks.summaries().accepted(name, body.summary());
        if (c.record().previousSerial() != null && after.previousSerial() == null) {
            LOG.info("rack {} uses its renewed certificate (serial {}); serial {} retired", name, serial,
                    c.record().previousSerial());
            if (nats != null) {
                // It stored the credential of the new certificate before using it: older keys go, so
                // its NATS connections move to the new credential (and its wires) now.
                scheduler.execute(() -> retireOlderNatsKeys(name));
            }
        }
        // commands travel on SnakeRoute.COMMANDS
        return new HeartbeatReply(name, after.state(), List.of(), full || matched ? digest : null);
    }

    private RenewReply renew(RackAuth.Caller c, RenewRequest body) throws Exception {
        String csr = Exchange.required(body.csr(), "csr");
        checkNatsKey(body.natsKey());
        X509Certificate cert;
        try {
            Instant from = notBefore();
            cert = ca.issueRack(csr, c.name(), from, lifetimeFrom(from));
        } catch (CsrException e) {
            LOG.warn("renewal of rack {} refused: {}", c.name(), LogText.escape(e.getMessage()));
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
        return new RenewReply(c.name(), Pem.certificates(cert, ca.certificate()), natsJwt(c.name(), body.natsKey(), cert));
    }

    private void retireOlderNatsKeys(String rack) {
        try {
            nats.retireOlderKeys(rack);
        } catch (IOException | RuntimeException e) {
            LOG.warn("rack {}: its older NATS keys could not be revoked ({}); they expire with their certificates",
                    rack, LogText.escape(e.getMessage()));
        }
    }

    /** @throws Exchange.Refused 400 naming the field when a NATS key is given and is not a NATS user public key */
    private static void checkNatsKey(String natsKey) throws Exchange.Refused {
        if (natsKey != null && !NKeyPair.isPublicKey(natsKey, NKeyPair.Type.USER)) {
            throw new Exchange.Refused(400, "field 'natsKey' is not a NATS user public key (an nkey: U and 55 base32 characters)");
        }
    }

    /** @return the rack's NATS user JWT, valid as long as its certificate, or null (none asked for, or no NATS signing here) */
    private String natsJwt(String rack, String natsKey, X509Certificate cert) throws IOException {
        if (nats == null || natsKey == null) {
            return null;
        }
        String jwt = nats.issue(rack, natsKey, cert.getNotAfter().toInstant());
        LOG.info("rack {}: NATS credential issued for key {} until {}", rack, natsKey, cert.getNotAfter().toInstant());
        return jwt;
    }
}
