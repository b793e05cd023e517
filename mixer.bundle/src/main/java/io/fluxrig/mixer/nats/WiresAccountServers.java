package io.fluxrig.mixer.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The wires account as the NATS servers hold it, reached with the Mixer's system-account user:
 * pushes the account JWT with revocations ({@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.UPDATE}) and reads
 * back what every server answering holds ({@code .INFO}: the claims it enforces, when it has the
 * account loaded; {@code .CLAIMS.LOOKUP}: the JWT in its resolver folder). {@link NatsIssuer}
 * decides what to push and when.
 *
 * <p>Threading: thread-safe; every call blocks on NATS. The connection ({@link #connect}) is
 * short-lived and owned by the caller; the creds file is made anew for each (replaced atomically).
 */
final class WiresAccountServers {
    /** How long the first answer of a server may take. */
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** After an answer, how long another server's may take (a cluster's servers answer about together). */
    private static final Duration MORE_ANSWERS = Duration.ofMillis(500);

    private final NatsTrust trust;
    private final String[] servers;
    private final Path systemCreds;
    private final ObjectMapper json;
    private final SSLContext tls;

    /**
     * @param servers the NATS URLs
     * @param systemCreds where the system-account creds are written (0600)
     * @param tls the TLS context of the Mixer's NATS connections, or null for plaintext
     */
    WiresAccountServers(NatsTrust trust, String[] servers, Path systemCreds, ObjectMapper json, SSLContext tls) {
        this.trust = trust;
        this.servers = servers.clone();
        this.systemCreds = systemCreds;
        this.json = json;
        this.tls = tls;
    }

    /**
     * Sends the wires account JWT with these revocations, issued later than {@code issuedAfter}
     * (epoch second); answered once a server stored it in its folder.
     *
     * @throws IOException when NATS refuses it or does not answer
     */
    void push(Connection c, Map<String, Long> revocations, long issuedAfter) throws IOException, InterruptedException {
        String account = trust.accountPublicKey(NatsTrust.Account.WIRES);
        String jwt = trust.accountJwt(NatsTrust.Account.WIRES, revocations, issuedAfter);
        Message reply = c.request("$SYS.REQ.ACCOUNT." + account + ".CLAIMS.UPDATE", jwt.getBytes(StandardCharsets.UTF_8),
                ANSWER);
        String answer = reply == null ? "" : new String(reply.getData(), StandardCharsets.UTF_8);
        if (reply == null || answer.contains("\"error\"")) {
            throw new IOException("NATS refused the account update: " + (reply == null ? "no answer" : answer));
        }
    }

    /** @return a new connection of the Mixer's system-account user (its creds made anew, valid an hour); the caller closes it */
    Connection connect() throws IOException, InterruptedException {
        trust.writeCreds(Role.MIXER_SYSTEM, "fluxrig-mixer-system", Duration.ofHours(1), systemCreds);
        Options.Builder b = new Options.Builder();
        if (tls != null) {
            b.sslContext(tls);
        }
        return Nats.connect(b.servers(servers).authHandler(new CredsAuthHandler(systemCreds))
                .connectionName("fluxrig-mixer-system").noReconnect().connectionTimeout(Duration.ofSeconds(5))
                .errorListener(new ErrorListener() { }).build());
    }

    /**
     * What the servers answering hold of the wires account.
     *
     * @param lacking the servers or resolver folders without every revocation (empty: all hold them)
     * @param newestIssue the latest issue time (epoch second) of a JWT of the account a server holds
     */
    record View(List<String> lacking, long newestIssue) {
    }

    /**
     * Asks every server for the claims it enforces ({@code INFO}: only a server that has the account
     * loaded has any; one that has not loads it from its folder when a client comes) and for the JWT
     * in its folder ({@code CLAIMS.LOOKUP}).
     */
    View view(Connection c, Map<String, Long> revocations) throws IOException, InterruptedException {
        String account = trust.accountPublicKey(NatsTrust.Account.WIRES);
        List<String> lacking = new ArrayList<>();
        long newest = 0;
        int answers = 0;
        for (Message m : gather(c, "$SYS.REQ.ACCOUNT." + account + ".INFO")) {
            answers++;
            JsonNode r = json.readTree(m.getData());
            JsonNode data = r.get("data");
            if (data == null || data.isNull()) {
                continue; // not loaded there ("account does not exist"): its folder decides, below
            }
            JsonNode claims = claims(data.path("jwt").asText(""));
            newest = Math.max(newest, claims.path("iat").asLong(0));
            if (!holds(claims, revocations)) {
                lacking.add("server " + r.path("server").path("name").asText("?") + " (the claims it enforces)");
            }
        }
        for (Message m : gather(c, "$SYS.REQ.ACCOUNT." + account + ".CLAIMS.LOOKUP")) {
            answers++;
            JsonNode claims = claims(new String(m.getData(), StandardCharsets.UTF_8));
            newest = Math.max(newest, claims.path("iat").asLong(0));
            if (!holds(claims, revocations)) {
                lacking.add("a server's resolver folder");
            }
        }
        if (answers == 0) {
            lacking.add("no server answered");
        }
        return new View(lacking, newest);
    }

    /** @return the claims of an account JWT, or an empty object when it is none */
    private JsonNode claims(String jwt) {
        try {
            return json.readTree(Jwt.claimsJson(jwt));
        } catch (IOException | RuntimeException e) {
            return json.createObjectNode();
        }
    }

    /** Whether the claims revoke every key at least as late as the Mixer did. */
    private static boolean holds(JsonNode claims, Map<String, Long> revocations) {
        JsonNode held = claims.path("nats").path("revocations");
        for (Map.Entry<String, Long> r : revocations.entrySet()) {
            if (held.path(r.getKey()).asLong(-1) < r.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sends a request and collects the answers of every server that answers: one per configured
     * server URL, or those arriving while they keep coming (a cluster's servers answer about
     * together; a server down is not waited for beyond that).
     */
    private List<Message> gather(Connection c, String subject) throws InterruptedException {
        String inbox = c.createInbox();
        Subscription sub = c.subscribe(inbox);
        try {
            c.publish(subject, inbox, new byte[0]);
            List<Message> answers = new ArrayList<>();
            Message m = sub.nextMessage(ANSWER);
            while (m != null) {
                if (!m.isStatusMessage()) {
                    answers.add(m);
                }
                if (answers.size() >= servers.length) {
                    break;
                }
                m = sub.nextMessage(MORE_ANSWERS);
            }
            return answers;
        } finally {
            sub.unsubscribe();
        }
    }
}
