package io.fluxrig.cli.mixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fluxrig.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fluxrig deploy} through {@link Main#run}: argument handling, and the whole run against a
 * small HTTPS stand-in of the Mixer's operator API (JDK HttpsServer, TLS 1.3, a certificate made
 * with keytool and trusted through {@code --ca}) whose "rack" finishes commands after a few polls.
 * The real Mixer side is tested in mixer.bundle (MixerArtifactApiTest); real Mixer + real rack in
 * run/.
 */
class DeployCommandTest {
    private static final String TOKEN = "frm_test";
    /** 2026-01-01T00:00:00Z in epoch milliseconds, as the operator API sends times. */
    private static final long T0 = 1_767_225_600_000L;
    @TempDir
    static Path keys;
    static Path caFile;
    static HttpsServer server;
    static ExecutorService executor;
    static final FakeMixer mixer = new FakeMixer();

    @TempDir
    Path tmp;

    /** The API as the Mixer answers it; the "rack" is done after two polls, or fails or never finishes by file name. */
    static final class FakeMixer {
        final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
        final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        final List<Map<?, ?>> commands = Collections.synchronizedList(new ArrayList<>());
        final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

        void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            requests.add(method + " " + path);
            try (InputStream in = x.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                    reply(x, 401, Map.of("error", "a valid operator bearer token is required"));
                } else if ("POST".equals(method) && "/api/artifacts".equals(path)) {
                    String ct = x.getRequestHeaders().getFirst("Content-Type");
                    String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
                    boolean created = artifacts.putIfAbsent(digest, body) == null;
                    reply(x, "application/octet-stream".equals(ct) ? created ? 201 : 200 : 415,
                            Map.of("digest", digest, "size", body.length));
                } else if ("POST".equals(method) && path.equals("/api/racks/edge/commands")) {
                    Map<?, ?> c = (Map<?, ?>) MixerApiClient.parse(body);
                    Map<?, ?> args = (Map<?, ?>) c.get("args");
                    if (!artifacts.containsKey(String.valueOf(args.get("digest")))) {
                        reply(x, 400, Map.of("error", "args.digest: artifact " + args.get("digest") + " is not stored on this Mixer"));
                        return;
                    }
                    commands.add(c);
                    String id = "c" + commands.size();
                    polls.put(id, new AtomicInteger());
                    reply(x, 201, Map.of("id", id, "state", "pending"));
                } else if ("GET".equals(method) && path.startsWith("/api/racks/edge/commands/")) {
                    String id = path.substring(path.lastIndexOf('/') + 1);
                    Map<?, ?> c = commands.get(Integer.parseInt(id.substring(1)) - 1);
                    String name = String.valueOf(((Map<?, ?>) c.get("args")).get("name"));
                    boolean finished = polls.get(id).incrementAndGet() > 2 && !name.startsWith("slow");
                    String state = !finished ? "pending" : name.startsWith("broken") ? "failed" : "done";
                    String detail = !finished ? "" : name.startsWith("broken") ? "bundle did not start; rolled back"
                            : c.get("type") + " " + name + " ok";
                    reply(x, 200, Map.of("id", id, "state", state, "detail", detail));
                } else if ("POST".equals(method) && path.equals("/api/tokens")) {
                    raw(x, 201, "{\"token\":\"frt_one\",\"rack\":\"edge\",\"expiresAt\":" + T0 + ",\"caHash\":\"sha256:ab\","
                            + "\"command\":\"run/fluxrig rack --name edge --mixer 127.0.0.1:1 --token --ca-hash sha256:ab\"}");
                } else if ("GET".equals(method) && path.equals("/api/racks")) {
                    String query = String.valueOf(x.getRequestURI().getRawQuery());
                    requests.add("query " + query);
                    String rack = "{\"name\":\"edge\",\"state\":\"online\",\"lastSeen\":" + T0 + ",\"address\":\"127.0.0.1\",\"labels\":{},"
                            + "\"summary\":{\"intervalMillis\":5000,\"inPerSecond\":120.55,\"outPerSecond\":118.0,"
                            + "\"errorRate\":0.0125,\"p99Millis\":4.25,\"gears\":{\"in\":{\"inPerSecond\":120.55,\"errorRate\":0.0125,"
                            + "\"p50Millis\":0.5,\"p99Millis\":4.25}}}}";
                    String rack2 = "{\"name\":\"edge2\",\"state\":\"online\",\"lastSeen\":0,\"labels\":{\"site\":\"lab\"}}";
                    raw(x, 200, query.contains("after=edge&") || query.endsWith("after=edge")
                            ? "{\"total\":2,\"counts\":{\"online\":2},\"racks\":[" + rack2 + "],\"next\":null}"
                            : "{\"total\":2,\"counts\":{\"online\":2},\"racks\":[" + rack + "],\"next\":\"edge\"}");
                } else if ("GET".equals(method) && path.equals("/api/racks/edge")) {
                    raw(x, 200, "{\"name\":\"edge\",\"firstSeen\":" + T0 + ",\"lastSeen\":0,\"certNotAfter\":" + T0
                            + ",\"heartbeatMillis\":1000}");
                } else if ("GET".equals(method) && path.equals("/api/racks/edge/commands")) {
                    raw(x, 200, "[{\"id\":\"c1\",\"type\":\"apply-patch\",\"state\":\"done\",\"createdAt\":" + T0
                            + ",\"deliveries\":1}]");
                } else if ("GET".equals(method) && path.equals("/api/rollouts/r1")) {
                    raw(x, 200, "{\"id\":\"r1\",\"state\":\"done\",\"wave\":0,\"waveTargets\":[1],\"racks\":{\"edge\":"
                            + "{\"wave\":0,\"state\":\"done\",\"since\":" + T0 + "}},\"createdAt\":" + T0 + ",\"updatedAt\":" + T0 + "}");
                } else if ("POST".equals(method) && path.equals("/api/racks/edge/revoke")) {
                    raw(x, 200, "{}");
                } else {
                    reply(x, 404, Map.of("error", "no such endpoint: " + method + " " + path));
                }
            } catch (Exception e) {
                reply(x, 500, Map.of("error", e.toString()));
            }
        }

        private static void raw(HttpExchange x, int status, String json) throws IOException {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            x.close();
        }

        private static void reply(HttpExchange x, int status, Map<String, Object> body) throws IOException {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<String, Object> e : body.entrySet()) {
                sb.append(sb.length() > 1 ? "," : "").append(MixerApiClient.quote(e.getKey())).append(':')
                        .append(e.getValue() instanceof Number ? e.getValue().toString() : MixerApiClient.quote(String.valueOf(e.getValue())));
            }
            byte[] b = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            x.close();
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        Path ks = keys.resolve("mixer.p12");
        keytool("-genkeypair", "-alias", "mixer", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=fake mixer",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        caFile = keys.resolve("ca.crt");
        keytool("-exportcert", "-rfc", "-alias", "mixer", "-keystore", ks.toString(), "-storepass", "changeit", "-file",
                caFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3"});
                params.setSSLParameters(p);
            }
        });
        server.createContext("/api/", mixer::handle);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.start();
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + cmd + " failed: " + output);
        }
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    @BeforeEach
    void clear() {
        mixer.requests.clear();
    }

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Result deploy(String... args) {
        List<String> all = new ArrayList<>(List.of("deploy"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The API options first, then {@code args}. */
    private String[] api(String token, String... args) {
        List<String> all = new ArrayList<>(List.of("--api", "https://127.0.0.1:" + server.getAddress().getPort(),
                "--api-token-file", tokenFile(token), "--ca", caFile.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** The operator token in a file, as the operator keeps it (never an argument). */
    private String tokenFile(String token) {
        try {
            return Files.writeString(tmp.resolve("token-" + Integer.toHexString(token.hashCode())), token + "\n").toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path file(String name, int size) throws IOException {
        byte[] b = new byte[size];
        new java.util.Random(name.hashCode()).nextBytes(b);
        return Files.write(tmp.resolve(name), b);
    }

    private static String short12(Path f) throws IOException {
        return DeployCommand.sha256(f).substring(0, 19);
    }

    @Test
    void bundlesThenThePatchAreUploadedInstalledAndAwaitedInOrder() throws Exception {
        Path a = file("gear.json-1.0.0.jar", 200_000);
        Path b = file("gear.basic-1.0.0.jar", 3000);
        Path p = file("patch.yaml", 100);
        int before = mixer.commands.size();
        Result r = deploy(api(TOKEN, "edge", "--bundle", a.toString(), "--patch", p.toString(), "--bundle", b.toString(),
                "--timeout-s", "10"));
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(
                "edge: install-bundle gear.json-1.0.0.jar (" + short12(a) + "): done: install-bundle gear.json-1.0.0.jar ok",
                "edge: install-bundle gear.basic-1.0.0.jar (" + short12(b) + "): done: install-bundle gear.basic-1.0.0.jar ok",
                "edge: apply-patch patch.yaml (" + short12(p) + "): done: apply-patch patch.yaml ok"), r.lines());
        assertEquals("", r.err());
        for (Path f : List.of(a, b, p)) {
            assertArrayEquals(Files.readAllBytes(f), mixer.artifacts.get(DeployCommand.sha256(f)), "uploaded bytes of " + f);
        }
        List<Map<?, ?>> sent = mixer.commands.subList(before, mixer.commands.size());
        assertEquals(List.of("install-bundle", "install-bundle", "apply-patch"), sent.stream().map(c -> c.get("type")).toList());
        assertEquals(Map.of("digest", DeployCommand.sha256(b), "name", "gear.basic-1.0.0.jar"), sent.get(1).get("args"));
        // Each command was awaited (3 polls: the stand-in rack finishes at the third) before the next upload.
        StringBuilder seq = new StringBuilder();
        for (String q : mixer.requests) {
            seq.append(q.equals("POST /api/artifacts") ? 'U' : q.startsWith("POST ") ? 'C' : 'G');
        }
        assertEquals("UCGGGUCGGGUCGGG", seq.toString(), mixer.requests.toString());
    }

    @Test
    void aFailingBundleStopsTheDeploymentAndNamesWhatWasNotSent() throws Exception {
        Path ok = file("ok.jar", 10);
        Path broken = file("broken.jar", 20);
        Path p = file("p.yaml", 5);
        Result r = deploy(api(TOKEN, "edge", "--bundle", ok.toString(), "--bundle", broken.toString(), "--patch", p.toString()));
        assertEquals(1, r.code());
        assertEquals(List.of("edge: install-bundle ok.jar (" + short12(ok) + "): done: install-bundle ok.jar ok",
                "edge: install-bundle broken.jar (" + short12(broken) + "): failed: bundle did not start; rolled back"), r.lines());
        assertEquals("fluxrig deploy: stopped at step 2 of 3 (install-bundle broken.jar); not sent: apply-patch p.yaml\n", r.err());
        assertEquals(2, mixer.requests.stream().filter("POST /api/artifacts"::equals).count(), "the patch was not uploaded");
    }

    @Test
    void aCommandWithoutResultTimesOutAndStaysQueued() throws Exception {
        Path slow = file("slow.jar", 10);
        Result r = deploy(api(TOKEN, "edge", "--bundle", slow.toString(), "--timeout-s", "1"));
        assertEquals(1, r.code());
        assertEquals(1, r.lines().size(), r.out());
        assertTrue(r.lines().get(0).matches("edge: install-bundle slow\\.jar \\(" + short12(slow)
                + "\\): timed out after 1 s: still pending; the command stays queued \\(id c[0-9]+\\)"), r.out());
        long polls = mixer.requests.stream().filter(q -> q.startsWith("GET ")).count();
        assertTrue(polls >= 3 && polls <= 8, "polled about every 200 ms for 1 s: " + polls);
    }

    @Test
    void theMixersRefusalIsPrinted() throws Exception {
        Path a = file("a.jar", 10);
        Result r = deploy(api("wrong", "edge", "--bundle", a.toString()));
        assertEquals(1, r.code());
        assertEquals(List.of("edge: install-bundle a.jar (" + short12(a) + "): upload refused: a valid operator bearer token is required"),
                r.lines());
    }

    @Test
    void missingOrUnreadableFilesSendNothing() throws Exception {
        Path a = file("a.jar", 10);
        Result r = deploy(api(TOKEN, "edge", "--bundle", a.toString(), "--bundle", tmp.resolve("nope.jar").toString(),
                "--patch", tmp.toString()));
        assertEquals(1, r.code());
        assertEquals("fluxrig deploy: --bundle " + tmp.resolve("nope.jar") + ": no such file\n"
                + "fluxrig deploy: --patch " + tmp + ": not a regular file\n"
                + "fluxrig deploy: nothing was sent\n", r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), mixer.requests);
    }

    @Test
    void wrongUsageIsRefusedWithTheReason() throws Exception {
        Path a = file("a.jar", 10);
        String[][] cases = {
                {"which rack? (RACK is missing)", "--bundle", a.toString()},
                {"nothing to deploy: give --bundle FILE and/or --patch FILE", "edge"},
                {"--patch: at most one patch file (got 2)", "edge", "--patch", a.toString(), "--patch", a.toString()},
                {"--timeout-s: '0' must be whole seconds, 1 to 86400", "edge", "--bundle", a.toString(), "--timeout-s", "0"},
                {"--timeout-s: 'x' must be whole seconds, 1 to 86400", "edge", "--bundle", a.toString(), "--timeout-s", "x"},
                {"RACK: 'a b' has ' ' at offset 1; only lower-case letters, digits, '_' and '-' are allowed", "a b", "--bundle", a.toString()},
                {"one RACK expected, got [edge, more]", "edge", "more", "--bundle", a.toString()},
                {"unknown option --bundles", "edge", "--bundles", a.toString()},
                {"--bundle needs a value", "edge", "--bundle"}};
        for (String[] c : cases) {
            Result r = deploy(api(TOKEN, java.util.Arrays.copyOfRange(c, 1, c.length)));
            assertEquals(2, r.code(), c[0]);
            assertTrue(r.err().startsWith("fluxrig deploy: " + c[0] + "\nusage: fluxrig deploy RACK"), r.err());
        }
        assertEquals(List.of(), mixer.requests);
    }

    @Test
    void helpDescribesTheCommand() {
        Result h = deploy("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().startsWith("usage: fluxrig deploy RACK [--bundle FILE]... [--patch FILE] [--dry-run] [--timeout-s N]"), h.out());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream())));
        assertTrue(out.toString().contains("deploy"), out.toString());
    }

    /** {@code args}, then the API options. */
    private String[] withApi(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--api", "https://127.0.0.1:" + server.getAddress().getPort(), "--api-token-file", tokenFile(TOKEN), "--ca", caFile.toString()));
        return all.toArray(String[]::new);
    }

    private Result cli(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new io.fluxrig.cli.Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> noContext() {
        return Map.of("FLUXRIG_CONFIG", tmp.resolve("config").toString());
    }

    @Test
    void tokenRacksAndRackInfoPrintJsonWithIsoTimes() throws Exception {
        Result token = cli("", noContext(), withApi("token", "--rack", "edge", "--json"));
        assertEquals(0, token.code(), token.err());
        Map<?, ?> t = (Map<?, ?>) MixerApiClient.parse(token.out().getBytes(StandardCharsets.UTF_8));
        assertEquals("frt_one", t.get("token"));
        assertEquals("2026-01-01T00:00:00Z", t.get("expiresAt"));
        assertEquals("sha256:ab", t.get("caHash"));
        Result text = cli("", noContext(), withApi("token", "--rack", "edge", "--show"));
        assertTrue(text.out().contains("expires: 2026-01-01T00:00:00Z"), text.out());
        assertTrue(text.out().contains("token:   frt_one"), "--show prints it: " + text.out());
        assertTrue(text.out().endsWith("start the rack with (it asks for the token; not echoed):\n"
                + "  run/fluxrig rack --name edge --mixer 127.0.0.1:1 --token --ca-hash sha256:ab\n"), "the command holds no token: " + text.out());

        Result racks = cli("", noContext(), withApi("racks", "--json"));
        assertEquals(0, racks.code(), racks.err());
        Map<?, ?> all = (Map<?, ?>) MixerApiClient.parse(racks.out().getBytes(StandardCharsets.UTF_8));
        List<?> listed = (List<?>) all.get("racks");
        assertEquals(2, listed.size(), "every page followed: " + racks.out());
        Map<?, ?> edge = (Map<?, ?>) listed.get(0);
        assertEquals("2026-01-01T00:00:00Z", edge.get("lastSeen"));
        Map<?, ?> summary = (Map<?, ?>) edge.get("summary");
        assertEquals(4.25, ((Number) summary.get("p99Millis")).doubleValue(), "--json passes the heartbeat summary on: " + racks.out());
        assertEquals(5000, ((Number) summary.get("intervalMillis")).intValue(), "a duration stays a number");
        Result table = cli("", noContext(), withApi("racks"));
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("IN/S     OUT/S   ERR%   P99 MS"), table.out());
        assertTrue(table.out().matches("(?s).*\\nedge +online +120\\.[56] +118\\.0 +1\\.25 +4\\.25 .*"), table.out());
        assertTrue(table.out().matches("(?s).*\\nedge2 +online +- +- +- +- .*"), "no summary: dashes: " + table.out());
        assertEquals(null, all.get("next"));
        Result onePage = cli("", noContext(), withApi("racks", "--limit", "1", "--state", "online", "--label", "site=lab"));
        assertEquals(0, onePage.code(), onePage.err());
        assertTrue(onePage.out().contains("1 of 2 racks; next page: --after edge"), onePage.out());
        assertTrue(mixer.requests.contains("query limit=1&state=online&label=site%3Dlab"), mixer.requests.toString());

        Result info = cli("", noContext(), withApi("rack-info", "edge", "--json"));
        assertEquals(0, info.code(), info.err());
        Map<?, ?> record = (Map<?, ?>) MixerApiClient.parse(info.out().getBytes(StandardCharsets.UTF_8));
        assertEquals("2026-01-01T00:00:00Z", record.get("firstSeen"));
        assertEquals("2026-01-01T00:00:00Z", record.get("certNotAfter"));
        assertEquals(null, record.get("lastSeen"), "0 means never");
        assertEquals(1000, ((Number) record.get("heartbeatMillis")).intValue(), "a duration stays a number");
        Result pretty = cli("", noContext(), withApi("rack-info", "edge"));
        assertTrue(pretty.out().contains("\"firstSeen\": \"2026-01-01T00:00:00Z\""), pretty.out());

        Result commands = cli("", noContext(), withApi("commands", "list", "edge", "--json"));
        assertEquals(0, commands.code(), commands.err());
        Map<?, ?> command = (Map<?, ?>) ((List<?>) MixerApiClient.parse(commands.out().getBytes(StandardCharsets.UTF_8))).get(0);
        assertEquals("2026-01-01T00:00:00Z", command.get("createdAt"), commands.out());
        Result rollout = cli("", noContext(), withApi("rollout", "status", "r1", "--json"));
        assertEquals(0, rollout.code(), rollout.err());
        Map<?, ?> r = (Map<?, ?>) MixerApiClient.parse(rollout.out().getBytes(StandardCharsets.UTF_8));
        assertEquals("2026-01-01T00:00:00Z", r.get("createdAt"), rollout.out());
        assertEquals("2026-01-01T00:00:00Z", r.get("updatedAt"), rollout.out());
        assertEquals("2026-01-01T00:00:00Z", ((Map<?, ?>) ((Map<?, ?>) r.get("racks")).get("edge")).get("since"), rollout.out());
    }

    @Test
    void tokenIsNotPrintedUnlessAskedForAndNothingIsMintedThen() {
        int before = mixer.requests.size();
        Result plain = cli("", noContext(), withApi("token", "--rack", "edge"));
        assertEquals(2, plain.code(), plain.err());
        assertEquals("", plain.out());
        assertTrue(plain.err().startsWith("fluxrig token: the token is a secret and is not printed unless asked for: give "
                + "--token-file FILE"), plain.err());
        Result both = cli("", noContext(), withApi("token", "--rack", "edge", "--show", "--token-file", tmp.resolve("t").toString()));
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--show prints the token that --token-file keeps in its file"), both.err());
        assertEquals(before, mixer.requests.size(), "nothing was asked of the Mixer");
    }

    @Test
    void tokenFileKeepsTheTokenOutOfTheOutputAndTheRackCommand() throws Exception {
        Path file = tmp.resolve("edge.token");
        Result text = cli("", noContext(), withApi("token", "--rack", "edge", "--token-file", file.toString()));
        assertEquals(0, text.code(), text.err());
        assertEquals("{\"token\":\"frt_one\",\"caHash\":\"sha256:ab\"}\n", Files.readString(file));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(text.out().contains("frt_one"), text.out());
        assertTrue(text.out().endsWith("--token-file " + file + "\n"), text.out());
        Result json = cli("", noContext(), withApi("token", "--rack", "edge", "--token-file", file.toString(), "--json"));
        Map<?, ?> t = (Map<?, ?>) MixerApiClient.parse(json.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(null, t.get("token"));
        assertEquals(file.toString(), t.get("tokenFile"));
    }

    @Test
    void revokeAsksForTheRacksNameUnlessYes() {
        Result refused = cli("no\n", noContext(), withApi("racks", "revoke", "edge"));
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("not confirmed; nothing was revoked"), refused.err());
        assertEquals(List.of(), mixer.requests);
        Result confirmed = cli("edge\n", noContext(), withApi("racks", "revoke", "edge"));
        assertEquals(0, confirmed.code(), confirmed.err());
        assertEquals("rack edge revoked\n", confirmed.out());
        Result yes = cli("", noContext(), withApi("racks", "revoke", "edge", "--yes"));
        assertEquals(0, yes.code(), yes.err());
        assertEquals(List.of("POST /api/racks/edge/revoke", "POST /api/racks/edge/revoke"), mixer.requests);
    }

    /** Attack surface: the operator token as an argument would sit in ps, /proc/PID/cmdline and the shell's history. */
    @Test
    void theOperatorTokenIsNeverAnArgument() {
        for (String command : new String[] {"racks", "token", "deploy", "operator-token rotate"}) {
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--api", "https://127.0.0.1:1", "--api-token", TOKEN, "--ca", caFile.toString()));
            Result r = cli("", noContext(), args.toArray(String[]::new));
            assertEquals(2, r.code(), command + ": " + r.err());
            assertTrue(r.err().contains("unknown option --api-token"), command + " names the option it refuses: " + r.err());
            assertTrue(mixer.requests.isEmpty(), command + " called no Mixer");
        }
    }

    @Test
    void anUnreachableMixerIsNamedWithTheReason() {
        Result r = cli("", noContext(), "racks", "--api", "https://127.0.0.1:1", "--api-token-file", tokenFile(TOKEN), "--ca", caFile.toString());
        assertEquals(1, r.code());
        assertEquals("fluxrig racks: cannot reach the Mixer API at https://127.0.0.1:1: connection refused "
                + "(is it running, and is the address right?)\n", r.err());
    }

    @Test
    void aContextSelectedOnceServesEveryCall() throws Exception {
        Path token = Files.writeString(tmp.resolve("operator.token"), TOKEN + "\n");
        String api = "https://127.0.0.1:" + server.getAddress().getPort();
        Result add = cli("", noContext(), "context", "add", "lab", "--api", api, "--ca", caFile.toString(), "--token-file",
                token.toString(), "--use");
        assertEquals(0, add.code(), add.err());
        Result racks = cli("", noContext(), "racks", "--json");
        assertEquals(0, racks.code(), racks.err());
        assertTrue(racks.out().contains("\"name\":\"edge\""), racks.out());
        Result show = cli("", noContext(), "context", "show", "--json");
        assertEquals("{\"name\":\"lab\",\"api\":\"" + api + "\",\"ca\":\"" + caFile.toAbsolutePath().normalize()
                + "\",\"tokenFile\":\"" + token.toAbsolutePath().normalize() + "\"}\n", show.out());
        Result unknown = cli("", Map.of("FLUXRIG_CONFIG", tmp.resolve("config").toString(), "FLUXRIG_CONTEXT", "other"), "racks");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("fluxrig racks: no context 'other'"), unknown.err());
    }

    @Test
    void deployJsonReportsEveryStep() throws Exception {
        Path a = file("a.jar", 10);
        Result r = cli("", noContext(), withApi("deploy", "edge", "--bundle", a.toString(), "--json"));
        assertEquals(0, r.code(), r.err());
        Map<?, ?> o = (Map<?, ?>) MixerApiClient.parse(r.out().getBytes(StandardCharsets.UTF_8));
        assertEquals(Boolean.TRUE, o.get("ok"));
        Map<?, ?> step = (Map<?, ?>) ((List<?>) o.get("steps")).get(0);
        assertEquals(List.of("install-bundle", "a.jar", DeployCommand.sha256(a), true, "done: install-bundle a.jar ok"),
                List.of(step.get("type"), step.get("name"), step.get("digest"), step.get("done"), step.get("outcome")));
    }
}
