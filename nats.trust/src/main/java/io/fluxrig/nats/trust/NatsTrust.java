package io.fluxrig.nats.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The root of trust of one NATS deployment in NATS's decentralised model: an operator, three
 * accounts (system, Mixer, wires; see {@link Role}) whose JWTs the operator signs, and the user
 * JWTs the accounts sign. The seeds live in one folder (mode 0700, each file 0600) and are made
 * on first use; JWTs are made from them when asked (nothing else is stored).
 *
 * <p>The server side is {@link #writeServerConfig}: operator mode with a full account resolver
 * (accounts can be updated at run time by a system-account user, {@code
 * $SYS.REQ.ACCOUNT.<id>.CLAIMS.UPDATE}) preloaded with the three accounts. JetStream is enabled
 * for the Mixer and wires accounts through their JWT limits (operator mode requires it there).
 *
 * <p>Threading: thread-safe (keys are immutable; JWT issue times come from an atomic counter, so
 * two account JWTs of one instance never share an issue time, which the resolver would treat as
 * "not newer").
 */
public final class NatsTrust {
    /** The accounts, each with its JWT name. */
    public enum Account {
        SYSTEM("SYS", false), MIXER("MIXER", true), WIRES("WIRES", true);

        private final String jwtName;
        private final boolean jetStream;

        Account(String jwtName, boolean jetStream) {
            this.jwtName = jwtName;
            this.jetStream = jetStream;
        }

        public String jwtName() {
            return jwtName;
        }

        String file() {
            return "account-" + name().toLowerCase(java.util.Locale.ROOT) + ".nk";
        }
    }

    private final Path dir;
    private final NKeyPair operator;
    private final Map<Account, NKeyPair> accounts;
    private final Clock clock;
    private final AtomicLong lastIssued = new AtomicLong();

    private NatsTrust(Path dir, NKeyPair operator, Map<Account, NKeyPair> accounts, Clock clock) {
        this.dir = dir;
        this.operator = operator;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * @param dir the folder of the seeds: created (0700) with new keys when missing, else read
     * @return the trust of that folder
     * @throws IOException when a seed file is unreadable or not a seed of its role
     */
    public static NatsTrust loadOrCreate(Path dir) throws IOException {
        return loadOrCreate(dir, Clock.systemUTC());
    }

    static NatsTrust loadOrCreate(Path dir, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        NKeyPair op = key(dir.resolve("operator.nk"), NKeyPair.Type.OPERATOR);
        Map<Account, NKeyPair> acc = new EnumMap<>(Account.class);
        for (Account a : Account.values()) {
            acc.put(a, key(dir.resolve(a.file()), NKeyPair.Type.ACCOUNT));
        }
        return new NatsTrust(dir, op, acc, clock);
    }

    /**
     * Reads only: for a process that signs but must never create a root of trust (the Mixer).
     *
     * @throws IOException naming the missing file when the folder holds no complete trust
     */
    public static NatsTrust load(Path dir) throws IOException {
        for (String f : new String[] {"operator.nk", Account.SYSTEM.file(), Account.MIXER.file(), Account.WIRES.file()}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("NATS trust " + dir + ": " + f + " is missing");
            }
        }
        return loadOrCreate(dir);
    }

    private static NKeyPair key(Path file, NKeyPair.Type type) throws IOException {
        if (Files.exists(file)) {
            NKeyPair k;
            try {
                k = NKeyPair.fromSeed(Files.readString(file));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage());
            }
            if (k.type() != type) {
                throw new IOException(file + ": a " + k.type() + " seed where a " + type + " seed belongs");
            }
            return k;
        }
        NKeyPair k = NKeyPair.generate(type);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        char[] seed = k.seed();
        Files.writeString(file, new String(seed) + "\n");
        java.util.Arrays.fill(seed, ' ');
        return k;
    }

    /** @return the folder of the seeds */
    public Path dir() {
        return dir;
    }

    public String operatorPublicKey() {
        return operator.publicKey();
    }

    public String accountPublicKey(Account a) {
        return accounts.get(a).publicKey();
    }

    /** A signing key of an account (the Mixer signs rack users with the wires account's key). */
    NKeyPair accountKey(Account a) {
        return accounts.get(a);
    }

    /** @return a JWT issue time (seconds), later than every earlier one of this instance */
    private long issuedAt() {
        long now = clock.instant().getEpochSecond();
        return lastIssued.updateAndGet(last -> Math.max(now, last + 1));
    }

    /** @return the operator JWT (self-signed, naming the system account) */
    public String operatorJwt() {
        Map<String, Object> nats = new LinkedHashMap<>();
        nats.put("system_account", accountPublicKey(Account.SYSTEM));
        nats.put("type", "operator");
        nats.put("version", 2);
        return Jwt.sign(claims(operator.publicKey(), "fluxrig", operator.publicKey(), null, nats), operator);
    }

    /** @return the account's JWT without revocations */
    public String accountJwt(Account a) {
        return accountJwt(a, Map.of());
    }

    /**
     * @param a the account
     * @param revocations user public key to epoch second: user JWTs of that key issued at or
     *     before it are refused (and connected users are disconnected when the server learns it)
     * @return the account's JWT signed by the operator
     */
    public String accountJwt(Account a, Map<String, Long> revocations) {
        Map<String, Object> limits = new LinkedHashMap<>();
        for (String k : new String[] {"subs", "data", "payload", "imports", "exports", "conn", "leaf"}) {
            limits.put(k, -1);
        }
        limits.put("wildcards", true);
        long js = a.jetStream ? -1 : 0;
        limits.put("mem_storage", js);
        limits.put("disk_storage", js);
        limits.put("streams", js);
        limits.put("consumer", js);
        Map<String, Object> nats = new LinkedHashMap<>();
        nats.put("limits", limits);
        if (!revocations.isEmpty()) {
            nats.put("revocations", new LinkedHashMap<>(revocations));
        }
        nats.put("default_permissions", Map.of("pub", Map.of(), "sub", Map.of()));
        nats.put("type", "account");
        nats.put("version", 2);
        return Jwt.sign(claims(operator.publicKey(), a.jwtName(), accountPublicKey(a), null, nats), operator);
    }

    /**
     * @param role what the user may do, in which account
     * @param name the user's name (shown by the server; a rack's name)
     * @param userPublicKey the user's nkey public key ({@code U...}): the holder of its seed is the user
     * @param expires when the JWT stops being accepted, or null for never
     * @return the user JWT signed by the role's account
     */
    public String userJwt(Role role, String name, String userPublicKey, Instant expires) {
        return userJwt(role.account(), role.permissions(), name, userPublicKey, expires);
    }

    /**
     * A user JWT with permissions of its own (a rack narrowed to its wires, {@link WireGrant}).
     *
     * @param account the user's account
     * @param permissions what it may publish and subscribe to
     * @param name the user's name (a rack's name)
     * @param userPublicKey the user's nkey public key ({@code U...})
     * @param expires when the JWT stops being accepted, or null for never
     * @return the user JWT signed by the account
     */
    public String userJwt(Account account, Permissions permissions, String name, String userPublicKey, Instant expires) {
        if (!NKeyPair.isPublicKey(userPublicKey, NKeyPair.Type.USER)) {
            throw new IllegalArgumentException("not an nkey user public key (U..., 56 characters)");
        }
        NKeyPair signer = accounts.get(account);
        Map<String, Object> nats = new LinkedHashMap<>(permissions.claims());
        nats.put("subs", -1);
        nats.put("data", -1);
        nats.put("payload", -1);
        nats.put("type", "user");
        nats.put("version", 2);
        return Jwt.sign(claims(signer.publicKey(), name, userPublicKey, expires, nats), signer);
    }

    /**
     * A new user (fresh nkey) of the role.
     *
     * @param ttl how long the JWT is accepted, or null for no expiry
     */
    public Creds issue(Role role, String name, Duration ttl) {
        NKeyPair user = NKeyPair.generate(NKeyPair.Type.USER);
        Instant expires = ttl == null ? null : clock.instant().plus(ttl);
        return new Creds(userJwt(role, name, user.publicKey(), expires), user.seed());
    }

    /** {@link #issue} written to a 0600 file. */
    public Path writeCreds(Role role, String name, Duration ttl, Path file) throws IOException {
        issue(role, name, ttl).write(file);
        return file;
    }

    private Map<String, Object> claims(String iss, String name, String sub, Instant expires, Map<String, Object> nats) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iat", issuedAt());
        if (expires != null) {
            c.put("exp", expires.getEpochSecond());
        }
        c.put("iss", iss);
        c.put("name", name);
        c.put("sub", sub);
        c.put("nats", nats);
        return c;
    }

    /**
     * Writes a nats-server configuration for operator mode: {@code conf}, the operator JWT
     * {@code operator.jwt} beside it and the full resolver's folder {@code jwt/} beside it. The
     * server's other settings (ports, JetStream store, cluster) stay on its command line.
     *
     * @return {@code conf}
     */
    public Path writeServerConfig(Path conf) throws IOException {
        Path folder = conf.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path operatorJwt = folder.resolve("operator.jwt");
        Files.writeString(operatorJwt, operatorJwt() + "\n");
        Path resolver = Files.createDirectories(folder.resolve("jwt"));
        StringBuilder c = new StringBuilder();
        c.append("# NATS operator mode (written by fluxrig; the keys are in ").append(dir.toAbsolutePath()).append(")\n");
        c.append("operator: ").append(quote(operatorJwt.toString())).append('\n');
        c.append("system_account: ").append(accountPublicKey(Account.SYSTEM)).append('\n');
        c.append("resolver: {\n  type: full\n  dir: ").append(quote(resolver.toString()))
                .append("\n  allow_delete: false\n  interval: \"2m\"\n  timeout: \"5s\"\n}\n");
        c.append("resolver_preload: {\n");
        for (Account a : Account.values()) {
            c.append("  ").append(accountPublicKey(a)).append(": ").append(quote(accountJwt(a))).append('\n');
        }
        c.append("}\n");
        Files.writeString(conf, c);
        return conf;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
        return "NATS trust " + dir + " (operator " + operator.publicKey() + ")";
    }
}
