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
 * <p><b>Signing keys.</b> The operator's and the accounts' identity keys sign only what names
 * keys: the operator JWT (listing the operator signing key) and, through that signing key, the
 * account JWTs (the system and wires accounts list a signing key of their own). Day-to-day
 * signing uses the signing keys: account JWT updates (revocations) are signed by the operator
 * signing key, rack users by the wires account's signing key, the Mixer's system user by the
 * system account's. So the operator keeps the full folder offline ({@link #loadOrCreate}), and the
 * Mixer gets only a <em>signer</em> folder ({@link #writeSigner}: the three signing seeds and the
 * public keys, {@value #PUBLIC_KEYS}), from which no operator or account identity can be
 * recovered: a stolen Mixer folder can issue rack users and push account updates until the
 * operator replaces the signing keys (a new operator JWT on the servers), but it cannot make a
 * new operator JWT or another account.
 *
 * <p>The server side is {@link #writeServerConfig} (full folder only): operator mode with a full
 * account resolver (accounts can be updated at run time by a system-account user, {@code
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
            return "account-" + key() + ".nk";
        }

        String signingFile() {
            return "account-" + key() + "-signing.nk";
        }

        /** Whether the account has a signing key (the Mixer's own account is issued offline only). */
        boolean signs() {
            return this != MIXER;
        }

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The public keys of a signer folder ({@code operator=O...}, {@code account.<name>=A...}). */
    public static final String PUBLIC_KEYS = "public.keys";
    private static final String OPERATOR = "operator.nk";
    private static final String OPERATOR_SIGNING = "operator-signing.nk";

    private final Path dir;
    /** The operator's identity key, or null in a signer folder. */
    private final NKeyPair operator;
    private final String operatorPublicKey;
    private final NKeyPair operatorSigning;
    /** Identity keys of the accounts (empty in a signer folder). */
    private final Map<Account, NKeyPair> accounts;
    private final Map<Account, String> accountPublicKeys;
    private final Map<Account, NKeyPair> accountSigning;
    private final Clock clock;
    private final AtomicLong lastIssued = new AtomicLong();

    private NatsTrust(Path dir, NKeyPair operator, String operatorPublicKey, NKeyPair operatorSigning,
            Map<Account, NKeyPair> accounts, Map<Account, String> accountPublicKeys, Map<Account, NKeyPair> accountSigning,
            Clock clock) {
        this.dir = dir;
        this.operator = operator;
        this.operatorPublicKey = operatorPublicKey;
        this.operatorSigning = operatorSigning;
        this.accounts = accounts;
        this.accountPublicKeys = accountPublicKeys;
        this.accountSigning = accountSigning;
        this.clock = clock;
    }

    /**
     * The full root of trust (the operator's, kept offline): created with new keys when missing;
     * signing keys missing from an older folder are added (the servers then need the operator JWT
     * again, {@link #writeServerConfig}).
     *
     * @param dir the folder of the seeds: created (0700) with new keys when missing, else read
     * @return the trust of that folder
     * @throws IOException when a seed file is unreadable or not a seed of its role, or the folder
     *     is a signer folder (it cannot become a root of trust)
     */
    public static NatsTrust loadOrCreate(Path dir) throws IOException {
        return loadOrCreate(dir, Clock.systemUTC());
    }

    static NatsTrust loadOrCreate(Path dir, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else if (!Files.exists(dir.resolve(OPERATOR)) && Files.exists(dir.resolve(PUBLIC_KEYS))) {
            throw new IOException("NATS trust " + dir + " is a signer folder (no operator identity): it cannot make a root of trust");
        }
        NKeyPair op = key(dir.resolve(OPERATOR), NKeyPair.Type.OPERATOR);
        NKeyPair opSigning = key(dir.resolve(OPERATOR_SIGNING), NKeyPair.Type.OPERATOR);
        Map<Account, NKeyPair> acc = new EnumMap<>(Account.class);
        Map<Account, String> pub = new EnumMap<>(Account.class);
        Map<Account, NKeyPair> signing = new EnumMap<>(Account.class);
        for (Account a : Account.values()) {
            acc.put(a, key(dir.resolve(a.file()), NKeyPair.Type.ACCOUNT));
            pub.put(a, acc.get(a).publicKey());
            if (a.signs()) {
                signing.put(a, key(dir.resolve(a.signingFile()), NKeyPair.Type.ACCOUNT));
            }
        }
        return new NatsTrust(dir, op, op.publicKey(), opSigning, acc, pub, signing, clock);
    }

    /**
     * Reads only: for a process that signs but must never create a root of trust (the Mixer). A
     * full folder (the operator's) is read as {@link #loadOrCreate} does; a signer folder
     * ({@link #writeSigner}) gives a trust that signs account updates and users but holds no
     * identity key.
     *
     * @throws IOException naming the missing file when the folder holds neither
     */
    public static NatsTrust load(Path dir) throws IOException {
        return load(dir, Clock.systemUTC());
    }

    static NatsTrust load(Path dir, Clock clock) throws IOException {
        if (!Files.exists(dir.resolve(OPERATOR)) && Files.isRegularFile(dir.resolve(PUBLIC_KEYS))) {
            return loadSigner(dir, clock);
        }
        for (String f : new String[] {OPERATOR, Account.SYSTEM.file(), Account.MIXER.file(), Account.WIRES.file()}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("NATS trust " + dir + ": " + f + " is missing (and no " + PUBLIC_KEYS + " of a signer folder)");
            }
        }
        return loadOrCreate(dir, clock);
    }

    private static NatsTrust loadSigner(Path dir, Clock clock) throws IOException {
        java.util.Properties keys = new java.util.Properties();
        try (var in = Files.newBufferedReader(dir.resolve(PUBLIC_KEYS))) {
            keys.load(in);
        }
        String op = publicKey(keys, "operator", NKeyPair.Type.OPERATOR, dir);
        Map<Account, String> pub = new EnumMap<>(Account.class);
        Map<Account, NKeyPair> signing = new EnumMap<>(Account.class);
        for (Account a : Account.values()) {
            pub.put(a, publicKey(keys, "account." + a.key(), NKeyPair.Type.ACCOUNT, dir));
            if (a.signs()) {
                signing.put(a, existing(dir.resolve(a.signingFile()), NKeyPair.Type.ACCOUNT));
            }
        }
        return new NatsTrust(dir, null, op, existing(dir.resolve(OPERATOR_SIGNING), NKeyPair.Type.OPERATOR),
                new EnumMap<>(Account.class), pub, signing, clock);
    }

    private static String publicKey(java.util.Properties keys, String name, NKeyPair.Type type, Path dir) throws IOException {
        String k = keys.getProperty(name, "").trim();
        if (!NKeyPair.isPublicKey(k, type)) {
            throw new IOException(dir.resolve(PUBLIC_KEYS) + ": " + name + " is not a " + type + " public key");
        }
        return k;
    }

    private static NKeyPair existing(Path file, NKeyPair.Type type) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("NATS trust " + file.getParent() + ": " + file.getFileName() + " is missing");
        }
        return key(file, type);
    }

    /**
     * Writes what a Mixer needs to sign, and nothing more, into {@code target} (0700, seeds 0600):
     * the operator signing seed, the system and wires accounts' signing seeds and the public keys.
     * Seeds already there are replaced.
     *
     * @return {@code target}
     */
    public Path writeSigner(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(target.resolve(OPERATOR)); // an older copy of the whole root of trust
        for (Account a : Account.values()) {
            Files.deleteIfExists(target.resolve(a.file()));
        }
        writeSeed(target.resolve(OPERATOR_SIGNING), operatorSigning);
        StringBuilder keys = new StringBuilder("# public keys of the NATS root of trust; the identity seeds stay with the operator\n");
        keys.append("operator=").append(operatorPublicKey).append('\n');
        for (Account a : Account.values()) {
            keys.append("account.").append(a.key()).append('=').append(accountPublicKeys.get(a)).append('\n');
            if (a.signs()) {
                writeSeed(target.resolve(a.signingFile()), accountSigning.get(a));
            }
        }
        Files.writeString(target.resolve(PUBLIC_KEYS), keys);
        return target;
    }

    private static void writeSeed(Path file, NKeyPair k) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        char[] seed = k.seed();
        Files.writeString(file, new String(seed) + "\n");
        java.util.Arrays.fill(seed, ' ');
    }

    /** @return whether this trust holds the operator's identity key (the full, offline folder) */
    public boolean holdsOperatorIdentity() {
        return operator != null;
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
        writeSeed(file, k);
        return k;
    }

    /** @return the folder of the seeds */
    public Path dir() {
        return dir;
    }

    public String operatorPublicKey() {
        return operatorPublicKey;
    }

    /** @return the operator signing key's public key (listed in the operator JWT) */
    public String operatorSigningKey() {
        return operatorSigning.publicKey();
    }

    public String accountPublicKey(Account a) {
        return accountPublicKeys.get(a);
    }

    /** @return the account's signing key's public key, or null (the Mixer's account has none) */
    public String accountSigningKey(Account a) {
        NKeyPair k = accountSigning.get(a);
        return k == null ? null : k.publicKey();
    }

    /** The key that signs users of an account: its signing key, or its identity key where it has none. */
    NKeyPair accountKey(Account a) {
        NKeyPair k = accountSigning.get(a);
        if (k == null) {
            k = accounts.get(a);
        }
        if (k == null) {
            throw new IllegalStateException("account " + a.jwtName() + ": no key to sign its users here (a signer folder"
                    + " signs system and wires users only)");
        }
        return k;
    }

    /**
     * @return an account or operator JWT's issue time (seconds), later than every earlier one of
     *     this instance (the resolver takes only a newer account JWT); it may run ahead of the clock
     *     when many are made in one second, which is why user JWTs take the clock's second instead
     */
    private long issuedAt() {
        return issuedAfter(0);
    }

    /** {@link #issuedAt()}, and later than {@code after} (epoch second). */
    private long issuedAfter(long after) {
        long now = clock.instant().getEpochSecond();
        return lastIssued.updateAndGet(last -> Math.max(now, Math.max(last, after) + 1));
    }

    /** @return the operator JWT (self-signed, naming the system account) */
    public String operatorJwt() {
        if (operator == null) {
            throw new IllegalStateException("the operator JWT is signed with the operator's identity key, which a signer folder"
                    + " does not hold: make it where the operator keeps the root of trust");
        }
        Map<String, Object> nats = new LinkedHashMap<>();
        nats.put("signing_keys", java.util.List.of(operatorSigning.publicKey()));
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
        return accountJwt(a, revocations, 0);
    }

    /**
     * {@link #accountJwt(Account, Map)} issued later than a JWT the servers hold: the full
     * resolver keeps, of two JWTs of an account, the one issued later (when it starts with a
     * preload, and when servers of a cluster exchange their folders), so an update must be newer
     * than every JWT of the account a server may still hold (a server configuration written after
     * it was made, whose preload runs ahead, would otherwise replace it).
     *
     * @param issuedAfter epoch second the JWT's issue time must be later than (0: none)
     */
    public String accountJwt(Account a, Map<String, Long> revocations, long issuedAfter) {
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
        if (accountSigning.containsKey(a)) {
            nats.put("signing_keys", java.util.List.of(accountSigning.get(a).publicKey()));
        }
        nats.put("type", "account");
        nats.put("version", 2);
        return Jwt.sign(claims(operatorSigning.publicKey(), a.jwtName(), accountPublicKey(a), null, nats,
                issuedAfter(issuedAfter)), operatorSigning);
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
        NKeyPair signer = accountKey(account);
        Map<String, Object> nats = new LinkedHashMap<>(permissions.claims());
        if (!signer.publicKey().equals(accountPublicKey(account))) {
            nats.put("issuer_account", accountPublicKey(account)); // signed by the account's signing key
        }
        nats.put("subs", -1);
        nats.put("data", -1);
        nats.put("payload", -1);
        nats.put("type", "user");
        nats.put("version", 2);
        // The wall clock's second, never ahead of it: a revocation at "now" must cover every user JWT issued until now.
        return Jwt.sign(claims(signer.publicKey(), name, userPublicKey, expires, nats, clock.instant().getEpochSecond()), signer);
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
        return claims(iss, name, sub, expires, nats, issuedAt());
    }

    private Map<String, Object> claims(String iss, String name, String sub, Instant expires, Map<String, Object> nats, long iat) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iat", iat);
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
        return "NATS trust " + dir + " (operator " + operatorPublicKey + (operator == null ? ", signer only)" : ")");
    }
}
