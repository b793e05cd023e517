package io.fluxrig.mixer.nats;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.NKeyPair;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.WireGrant;
import io.fluxrig.snake.api.LogText;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mixer as the signer of rack NATS credentials: at enrolment and renewal it signs a user JWT
 * of the wires account for the NATS key the rack made (only its public key arrives), expiring with
 * the rack's certificate and allowing exactly the wires of the patches deployed to the rack
 * ({@link #grant(String)}, {@link WireGrant}; none before the first); on revocation it adds every
 * key it issued to the rack to the wires account's revocations and pushes the account JWT, signed
 * by the operator, to the servers with its system-account user
 * ({@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.UPDATE}). The servers then refuse those keys and close
 * their connections. Once a rack uses a renewed certificate its older keys are revoked the same
 * way ({@link #retireOlderKeys}), so a new credential (new wires) takes effect at once.
 * Revocations no credential needs any more are dropped ({@link #prune}).
 *
 * <p><b>The servers must keep holding them</b> ({@link #ensureRevocations}, run by the {@link
 * RevocationKeeper}). A server's answer to a push says it stored the JWT in its resolver folder, not
 * that it enforces it: a server that loads the account at that moment (nats-server loads an account
 * when its first client connects) may finish that load with the JWT it read before the push and
 * keep enforcing that one (after a restart racks and the Mixer come back at once, so it happens there),
 * and a server started from a configuration whose preloaded JWT is newer than the pushed one, or
 * one whose resolver folder is new, has none of the revocations. So the Mixer reads back what every
 * server answering holds (the claims of the loaded account, {@code $SYS.REQ.ACCOUNT.<id>.INFO}; the
 * JWT in its folder, {@code .CLAIMS.LOOKUP}) and pushes again, issued later than any JWT a server
 * holds (the full resolver keeps the later of two, when it starts and when cluster servers exchange
 * their folders), until every answer holds them.
 *
 * <p>State, in the Mixer's KV bucket {@value #BUCKET}: which keys each rack holds
 * ({@code rack.<name>}), the key of its newest certificate ({@code key.<name>}), its wires
 * ({@code wires.<name>}) and the revocations ({@code revocations}); maps are written with
 * compare-and-set, so two Mixers on one NATS lose no update. The root of trust is the folder
 * {@code <data>/nats/trust} (seeds, 0600).
 *
 * <p>Threading: thread-safe; {@link #revoke}, {@link #retireOlderKeys} and {@link
 * #ensureRevocations} block on NATS (a short-lived system connection each).
 */
public final class NatsIssuer {
    private static final Logger LOG = LoggerFactory.getLogger(NatsIssuer.class);
    /** The Mixer's KV bucket of issued rack NATS keys and revocations. */
    public static final String BUCKET = "fluxrig_mixer_nats";
    private static final String REVOCATIONS = "revocations";
    /** {@code wires.<rack>}: the wires the rack may use ({@link WireGrant}), from the patches deployed to it. */
    private static final String WIRES = "wires.";
    /** {@code key.<rack>}: the NATS key issued with the rack's newest certificate. */
    private static final String CURRENT_KEY = "key.";
    private static final TypeReference<TreeMap<String, Long>> MAP = new TypeReference<>() { };
    private static final int CAS_ATTEMPTS = 10;

    private final NatsTrust trust;
    private final KeyValue bucket;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration longestCredential;
    private final WiresAccountServers accountServers;
    /** Told after every push this issuer made (the revocation keeper then checks the servers hold it). */
    private volatile Runnable pushed = () -> { };

    /**
     * @param trust the root of trust (operator and account keys)
     * @param bucket {@value #BUCKET}
     * @param servers the NATS URLs (for the system-account connection of a revocation)
     * @param systemCreds where the Mixer keeps its system-account creds (written here, 0600)
     * @param longestCredential the longest a rack credential this Mixer issues is valid (a
     *     revocation older than that can be dropped: every JWT it refuses has expired)
     */
    public NatsIssuer(NatsTrust trust, KeyValue bucket, String[] servers, Path systemCreds, ObjectMapper json, Clock clock,
            Duration longestCredential) {
        this(trust, bucket, servers, systemCreds, json, clock, longestCredential, null);
    }

    /** @param tls the TLS context of the Mixer's NATS connections ({@code MixerStore.tls()}), or null for plaintext */
    public NatsIssuer(NatsTrust trust, KeyValue bucket, String[] servers, Path systemCreds, ObjectMapper json, Clock clock,
            Duration longestCredential, SSLContext tls) {
        this.longestCredential = longestCredential;
        this.trust = trust;
        this.bucket = bucket;
        this.json = json;
        this.clock = clock;
        this.accountServers = new WiresAccountServers(trust, servers, systemCreds, json, tls);
    }

    /**
     * @param rack the rack's name
     * @param natsKey the public key of the NATS user key the rack made
     * @param expires when the credential ends (the certificate's end)
     * @return the rack's user JWT
     * @throws IllegalArgumentException when {@code natsKey} is not an nkey user public key
     */
    public String issue(String rack, String natsKey, Instant expires) throws IOException {
        if (!NKeyPair.isPublicKey(natsKey, NKeyPair.Type.USER)) {
            throw new IllegalArgumentException("natsKey: not a NATS user public key (an nkey: U and 55 base32 characters)");
        }
        long now = clock.instant().getEpochSecond();
        update("rack." + rack, m -> {
            m.values().removeIf(exp -> exp < now);
            m.put(natsKey, expires.getEpochSecond());
        });
        put(CURRENT_KEY + rack, natsKey.getBytes(StandardCharsets.UTF_8));
        return trust.userJwt(NatsTrust.Account.WIRES, grant(rack).permissions(rack), rack, natsKey, expires);
    }

    /**
     * @return the wires the rack may use: those of the patches deployed to it, or none before the
     *     first ({@link WireGrant#NONE})
     */
    public WireGrant grant(String rack) throws IOException {
        try {
            return parse(bucket.get(WIRES + rack));
        } catch (JetStreamApiException e) {
            throw new IOException("reading " + BUCKET + " " + WIRES + rack + ": " + e.getMessage(), e);
        }
    }

    private WireGrant parse(KeyValueEntry e) throws IOException {
        if (e == null || e.getValue() == null) {
            return WireGrant.NONE;
        }
        GrantJson g = json.readValue(e.getValue(), GrantJson.class);
        return new WireGrant(Set.copyOf(g.publish()), Set.copyOf(g.publishPrefixes()), g.consumers());
    }

    /**
     * Changes the wires the rack may use from its next credential on (compare-and-set: a change
     * made meanwhile by another request or Mixer is read again and the change applied to it).
     *
     * @param change from the stored grant to the new one
     * @return whether the grant changed (the rack then needs a new credential)
     */
    public boolean grant(String rack, UnaryOperator<WireGrant> change) throws IOException {
        String key = WIRES + rack;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            try {
                KeyValueEntry e = bucket.get(key);
                WireGrant before = parse(e);
                WireGrant after = change.apply(before);
                if (after.equals(before)) {
                    return false;
                }
                byte[] v = json.writeValueAsBytes(new GrantJson(List.copyOf(after.publish()), List.copyOf(after.publishPrefixes()),
                        after.consumers()));
                if (e == null) {
                    bucket.create(key, v);
                } else {
                    bucket.update(key, v, e.getRevision());
                }
                LOG.info("rack {}: NATS wires from its next credential on: publish {} {}, consume {}", LogText.escape(rack),
                        after.publish(), after.publishPrefixes().stream().map(p -> p.isEmpty() ? ">" : p + ".>").toList(),
                        after.consumers().values());
                return true;
            } catch (JetStreamApiException conflict) {
                // another writer came first: read again
            }
        }
        throw new IOException("updating " + BUCKET + " " + key + ": too many concurrent writers");
    }

    /** The JSON of a stored grant. */
    private record GrantJson(List<String> publish, List<String> publishPrefixes, Map<String, String> consumers) {
    }

    /**
     * Revokes every NATS key of the rack but the one issued with its newest certificate, once the
     * rack uses that certificate (it stored the new credential before): the servers close the
     * connections made with an older credential, and the rack's transport reconnects with the
     * new one, whose permissions (its wires) apply from then on.
     *
     * @return how many keys were revoked
     */
    public int retireOlderKeys(String rack) throws IOException {
        String current;
        try {
            KeyValueEntry e = bucket.get(CURRENT_KEY + rack);
            if (e == null || e.getValue() == null) {
                return 0;
            }
            current = new String(e.getValue(), StandardCharsets.UTF_8);
        } catch (JetStreamApiException e) {
            throw new IOException("reading " + BUCKET + " " + CURRENT_KEY + rack + ": " + e.getMessage(), e);
        }
        long now = clock.instant().getEpochSecond();
        Map<String, Long> older = new TreeMap<>();
        update("rack." + rack, m -> {
            older.clear();
            m.forEach((k, exp) -> {
                if (!k.equals(current) && exp >= now) {
                    older.put(k, exp);
                }
            });
            m.keySet().removeIf(k -> !k.equals(current));
        });
        if (older.isEmpty()) {
            return 0;
        }
        push(update(REVOCATIONS, m -> {
            older.keySet().forEach(k -> m.put(k, now));
            prune(m, now, longestCredential);
        }));
        LOG.info("rack {}: {} older NATS key(s) revoked; its connections reconnect with the credential of its new certificate",
                LogText.escape(rack), older.size());
        return older.size();
    }

    private void put(String key, byte[] value) throws IOException {
        try {
            bucket.put(key, value);
        } catch (JetStreamApiException e) {
            throw new IOException("writing " + BUCKET + " " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Revokes every NATS key issued to the rack that has not expired, and pushes the wires
     * account with its revocations to the servers.
     *
     * @return how many keys were revoked
     * @throws IOException when NATS refuses or does not answer (the revocations are stored and
     *     go out with the next push)
     */
    public int revoke(String rack) throws IOException {
        long now = clock.instant().getEpochSecond();
        Map<String, Long> keys = read("rack." + rack);
        keys.values().removeIf(exp -> exp < now);
        Map<String, Long> revocations = update(REVOCATIONS, m -> {
            keys.keySet().forEach(k -> m.put(k, now));
            prune(m, now, longestCredential);
        });
        push(revocations);
        LOG.warn("rack {}: {} NATS key(s) revoked; the servers close their connections", LogText.escape(rack), keys.size());
        return keys.size();
    }

    /**
     * What {@link #ensureRevocations} found.
     *
     * @param revocations how many revocations the Mixer holds (0: nothing to ensure)
     * @param held whether every server that answered holds them all (false: they were pushed again)
     * @param lacking the servers (by name) or resolver folders found without them
     */
    public record Check(int revocations, boolean held, List<String> lacking) {
    }

    /**
     * Makes sure the servers hold the stored revocations (see the class comment): reads back what
     * every server answering holds of the wires account and, when one lacks any, pushes the
     * account JWT again. A push is held only once a later call reads it back. Nothing is sent when
     * nothing is revoked.
     *
     * @return what was found, and whether it was pushed again
     * @throws IOException when NATS refuses or does not answer
     */
    public Check ensureRevocations() throws IOException {
        long now = clock.instant().getEpochSecond();
        Map<String, Long> revocations = read(REVOCATIONS);
        prune(revocations, now, longestCredential); // what the servers need; the stored map is pruned at the next change
        if (revocations.isEmpty()) {
            return new Check(0, true, List.of());
        }
        try (Connection c = accountServers.connect()) {
            WiresAccountServers.View v = accountServers.view(c, revocations);
            if (v.lacking().isEmpty()) {
                return new Check(revocations.size(), true, List.of());
            }
            accountServers.push(c, revocations, v.newestIssue());
            pushed.run();
            return new Check(revocations.size(), false, v.lacking());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the servers' revocations");
        }
    }

    /** @param action run after every push this issuer made, on the pushing thread (must not block) */
    public void onPush(Runnable action) {
        this.pushed = action;
    }

    /**
     * Drops the revocations no credential needs any more: a revocation refuses JWTs of its key
     * issued at or before its time, and every JWT this Mixer issues expires at most
     * {@code longest} after it was issued, so once {@code revokedAt + longest} has passed every
     * JWT the entry refuses has expired and the server refuses it anyway. Keeps the wires
     * account's JWT (sent to every server on every change) from growing with each renewal.
     *
     * @param revocations user key to epoch second of the revocation; changed in place
     * @param now epoch second
     * @param longest the longest lifetime of a credential this Mixer issues
     * @return how many were dropped
     */
    static int prune(Map<String, Long> revocations, long now, Duration longest) {
        int before = revocations.size();
        revocations.values().removeIf(at -> at + longest.getSeconds() < now);
        return before - revocations.size();
    }

    private void push(Map<String, Long> revocations) throws IOException {
        try (Connection c = accountServers.connect()) {
            accountServers.push(c, revocations, accountServers.view(c, revocations).newestIssue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing the account update");
        }
        pushed.run();
    }

    private Map<String, Long> read(String key) throws IOException {
        try {
            KeyValueEntry e = bucket.get(key);
            return e == null || e.getValue() == null ? new TreeMap<>() : json.readValue(e.getValue(), MAP);
        } catch (JetStreamApiException e) {
            throw new IOException("reading " + BUCKET + " " + key + ": " + e.getMessage(), e);
        }
    }

    /** Compare-and-set update of one map; retried when another writer came first. */
    private Map<String, Long> update(String key, Consumer<Map<String, Long>> change) throws IOException {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            try {
                KeyValueEntry e = bucket.get(key);
                TreeMap<String, Long> m = e == null || e.getValue() == null ? new TreeMap<>() : json.readValue(e.getValue(), MAP);
                change.accept(m);
                byte[] v = json.writeValueAsBytes(m);
                if (e == null) {
                    bucket.create(key, v);
                } else {
                    bucket.update(key, v, e.getRevision());
                }
                return m;
            } catch (JetStreamApiException conflict) {
                // another writer came first: read again
            }
        }
        throw new IOException("updating " + BUCKET + " " + key + ": too many concurrent writers");
    }
}
