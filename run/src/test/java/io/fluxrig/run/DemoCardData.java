package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.iso.Requests;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.CardDataScan;
import io.fluxrig.testsupport.OtlpReceiver;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The card-data part of the traced demo: with the demo kept running, a terminal sends test cards
 * the demo's fleet does not (a chip card with track 2, PIN block and EMV tags 5A and 57; an
 * unparseable amount; an oversized card number; a date the mapping refuses), and a message with
 * card data in data and meta but no reply address is put on {@code auth.requests}, where the core
 * gives up on it and dead-letters it. Then everything the demo lets out is searched for them
 * ({@link CardDataScan}): spans and OTLP metrics, each rack's and the Mixer's {@code /metrics},
 * the console pages, the dead letters' headers, {@code tail} of the wires and the dead letters,
 * and, once stopped, every log file of the demo.
 *
 * <p>A dead letter's payload is the original message, kept byte for byte so that it can be
 * replayed (like the wire's own stream, it carries the card data the issuer needs): it is not
 * searched; its headers and what {@code tail} shows of it are.
 */
final class DemoCardData {
    /** Chip card: field 2, track 2 in field 35, EMV 5A and 57 in field 55, a PIN block in field 52. */
    static final String CHIP_PAN = luhn("541333008901043");
    static final String CHIP_TRACK2 = CHIP_PAN + "=2812201987654321";
    static final String CHIP_57 = CHIP_PAN + "D2812201555123456F";
    static final String PIN_BLOCK = "8A3F09C1D2E47B65";
    /** An amount that is not digits. */
    static final String BAD_AMOUNT_PAN = luhn("401288888888188");
    /** 20 digits in field 2 (at most 19): a card number with 4 digits too many. */
    static final String OVERSIZED_PAN = luhn("492181739265401");
    /** A local date (field 13) the mapping refuses: the terminal gets 96. */
    static final String BAD_DATE_PAN = luhn("537612894403517");
    /** The dead letter's card. */
    static final String DEAD_PAN = luhn("601199284735620");
    static final String DEAD_TRACK2 = DEAD_PAN + "D2812201246813579";
    static final String DEAD_PIN_BLOCK = "C4D1E2F3A5B6C7D8";

    private final Path data;
    private final List<String> ports;
    private final String password;

    /**
     * @param data the demo's data folder
     * @param ports NATS, issuer, ISO, edge console, core console, Mixer Snake, Mixer API
     */
    DemoCardData(Path data, List<String> ports) throws IOException {
        this.data = data;
        this.ports = ports;
        this.password = Files.readAllLines(data.resolve("console.txt")).stream().filter(l -> l.startsWith("password="))
                .findFirst().orElseThrow().substring(9);
    }

    /** @return the scan with every planted value and the fleet's cards */
    static CardDataScan planted(List<String> fleetPans) {
        CardDataScan s = new CardDataScan().pan("chip card's PAN", CHIP_PAN).track2("chip card's track 2 (field 35)", CHIP_TRACK2)
                .track2("chip card's EMV 57", CHIP_57.substring(0, CHIP_57.length() - 1)).pinBlock("chip card's PIN block", PIN_BLOCK)
                .pan("PAN with the unparseable amount", BAD_AMOUNT_PAN).pan("oversized PAN", OVERSIZED_PAN)
                .pan("PAN with the refused date", BAD_DATE_PAN).pan("dead letter's PAN", DEAD_PAN)
                .track2("dead letter's track 2", DEAD_TRACK2).pinBlock("dead letter's PIN block", DEAD_PIN_BLOCK)
                .cvv("dead letter's CVV", "737");
        for (int i = 0; i < fleetPans.size(); i++) {
            s.pan("fleet card " + i, fleetPans.get(i));
        }
        return s;
    }

    /** Sends the test cards from a terminal and puts the dead letter's message on the wire; waits until each was handled. */
    void send() throws Exception {
        int iso = Integer.parseInt(ports.get(2));
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
        IsoMessage chip = Requests.purchase("000901", "000000000901", "T0000901", new Random(901)).with(2, CHIP_PAN)
                .with(35, CHIP_TRACK2).with(52, Bytes.fromHex(PIN_BLOCK))
                .with(55, List.of(Map.of("tag", "5A", "value", Bytes.fromHex(CHIP_PAN)), Map.of("tag", "57", "value", Bytes.fromHex(CHIP_57))));
        try (Socket a = connect(iso); Socket b = connect(iso); Socket c = connect(iso); Socket d = connect(iso)) {
            String answer = exchange(a, codec.encode(chip));
            assertTrue(answer.startsWith("0210"), answer);
            write(b, ascii(BAD_AMOUNT_PAN.length(), BAD_AMOUNT_PAN, "0000000012AB", "0131"));
            write(c, ascii(20, OVERSIZED_PAN + "0000", "000000001000", "0131"));
            String refused = exchange(d, ascii(BAD_DATE_PAN.length(), BAD_DATE_PAN, "000000001000", "1399"));
            IsoMessage decoded = codec.decode(refused.getBytes(StandardCharsets.US_ASCII));
            assertEquals("96", decoded.get(39), "the refused date is answered 96: " + decoded);
            // The two the edge cannot decode get no answer (no STAN to answer): their errors are counted.
            Await.until("the edge counted its errors on the unparseable and oversized requests and the refused date",
                    this::edgeMetrics, text -> metric(text, "fluxrig_gear_errors", null) >= 3, Duration.ofSeconds(60));
        }
        publishWithoutReplyAddress();
        Await.until("the dead letter of the message without a reply address", () -> deadLetter() != null, Duration.ofSeconds(90));
    }

    /**
     * Searches what the running demo shows: spans, metrics, pages, dead letters, tail.
     *
     * @param authorised how many authorisations went through the demo before the test cards (its
     *     fleet's and the trace checks'): tail reads them and the test cards' from the start
     */
    void scanRunning(CardDataScan scan, OtlpReceiver receiver, int authorised) throws Exception {
        int i = 0;
        for (var r : receiver.traceRequests()) {
            scan.scan("OTLP trace export " + i++, r.toString());
        }
        i = 0;
        for (var r : receiver.metricRequests()) {
            scan.scan("OTLP metrics export " + i++, r.toString());
        }
        scan.scan("edge /metrics", edgeMetrics());
        scan.scan("core /metrics", get(URI.create("http://127.0.0.1:" + ports.get(4) + "/metrics"),
                "Bearer " + Files.readString(data.resolve("racks/core/metrics.token")).strip(), HttpClient.newHttpClient()));
        HttpClient mixer = HttpClient.newBuilder().sslContext(TlsContexts.trusting(Pem.readCertificate(data.resolve("mixer/ca.crt")))).build();
        String api = "https://127.0.0.1:" + ports.get(6);
        scan.scan("Mixer /metrics", get(URI.create(api + "/metrics"),
                "Bearer " + Files.readString(data.resolve("mixer/metrics.token")).strip(), mixer));
        String basic = "Basic " + Base64.getEncoder().encodeToString(("demo:" + password).getBytes(StandardCharsets.UTF_8));
        for (String rack : List.of(ports.get(3), ports.get(4))) {
            for (String page : List.of("fluxrig", "fluxrig-live", "fluxrig-live/data.json")) {
                URI u = URI.create("http://127.0.0.1:" + rack + "/system/console/" + page);
                scan.scan(u.toString(), get(u, basic, HttpClient.newHttpClient()));
            }
        }
        for (String page : List.of("racks", "rollouts")) {
            URI u = URI.create(api + "/system/console/" + page);
            scan.scan(u.toString(), get(u, basic, mixer));
        }
        MessageInfo dead = deadLetter();
        Headers h = dead.getHeaders();
        StringBuilder headers = new StringBuilder();
        h.keySet().forEach(k -> headers.append(k).append(": ").append(String.join(", ", h.get(k))).append('\n'));
        assertTrue(headers.toString().contains("Fluxrig-Dlq-Reason"), headers.toString());
        scan.scan("dead letter headers (auth.requests.dlq seq " + dead.getSeq() + ")", headers.toString());
        // The control: the dead letter's payload is the original message, card data in clear, and the scan finds it there.
        CardDataScan control = planted(List.of()).scan("dead letter payload", dead.getData());
        assertTrue(control.hits().stream().anyMatch(x -> x.what().startsWith("dead letter's PAN")), "the scan finds a PAN in clear: "
                + control.report());
        assertTrue(control.hits().stream().anyMatch(x -> x.what().equals("dead letter's PIN block")), control.report());
        String dlq = tail(scan, "auth.requests.dlq", 1);
        // What tail shows instead: first 6 / last 4, the rest hidden.
        assertTrue(dlq.contains(mask(DEAD_PAN)) && dlq.contains("\"pin_block\":\"****\"") && dlq.contains("\"cvv2\":\"****\""), dlq);
        String requests = tail(scan, "auth.requests", authorised + 2); // then the chip card and the dead letter's message
        assertTrue(requests.contains(mask(CHIP_PAN)), requests);
        String responses = tail(scan, "auth.responses.edge", authorised + 1); // then the chip card's decision
        assertTrue(responses.contains(mask(CHIP_PAN)), responses);
        // The live pages list the failures the racks produced (gear rejections, the dead letter), reasons masked.
        String edgeLive = get(URI.create("http://127.0.0.1:" + ports.get(3) + "/system/console/fluxrig-live/data.json"), basic,
                HttpClient.newHttpClient());
        assertTrue(edgeLive.contains("\"gear\":\"decode\"") && edgeLive.contains("\"gear\":\"to-json\""), edgeLive);
        String coreLive = get(URI.create("http://127.0.0.1:" + ports.get(4) + "/system/console/fluxrig-live/data.json"), basic,
                HttpClient.newHttpClient());
        assertTrue(coreLive.contains("\"gear\":\"wire auth.requests (") && coreLive.contains("dead-lettered to auth.requests.dlq after "), coreLive);
        scan.scan("edge live page data (failed messages)", edgeLive);
        scan.scan("core live page data (failed messages)", coreLive);
    }

    private static String mask(String pan) {
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    /** Searches every log file of the demo (after it stopped: nothing more is written). */
    void scanLogs(CardDataScan scan) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f)).sorted().toList();
            assertTrue(logs.stream().anyMatch(f -> f.endsWith("logs/edge.log")) && logs.stream().anyMatch(f -> f.endsWith("logs/core.log")),
                    "the racks' logs are searched: " + logs);
            for (Path f : logs) {
                scan.scan(data.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
    }

    /** @return what {@code tail WIRE --from-start --count N} printed, after searching it */
    private String tail(CardDataScan scan, String wire, int count) throws Exception {
        Supervisor.Result r = Fluxrig.run(new byte[0], Duration.ofSeconds(90), "tail", wire, "--from-start", "--count", Integer.toString(count),
                "--server", "tls://127.0.0.1:" + ports.get(0), "--creds", data.resolve("nats/creds/admin.creds").toString(),
                "--ca", data.resolve("nats/tls/ca.crt").toString());
        assertEquals(0, r.exit(), "tail " + wire + ": " + r.stderr());
        assertEquals(count, r.out().lines().count(), r.out());
        scan.scan("run/fluxrig tail " + wire, r.out() + r.stderr());
        return r.out();
    }

    /**
     * A request as the demo's terminals send it, without a reply address (meta reply.rack): the core
     * calls the issuer, cannot route the decision and gives up after its deliveries. Card data under
     * card-data keys, in free text in meta, and an oversized, unparseable amount.
     */
    private void publishWithoutReplyAddress() throws Exception {
        FluxMsg m = FluxMsg.builder().src("card-data-test").meta("note", "card " + DEAD_TRACK2)
                .data("message_type", "0200").data("pan", DEAD_PAN).data("track2", DEAD_TRACK2).data("pin_block", DEAD_PIN_BLOCK)
                .data("cvv2", "737").data("amount.value", "12,34 EUR " + "9".repeat(40)).data("amount.currency", "EUR")
                .data("stan", "000777").data("terminal", "T0000777").build();
        try (Connection c = nats()) {
            c.jetStream().publish("fluxrig.wire.auth.requests", FluxMsgCbor.standard().encode(m));
        }
    }

    /** @return the last dead letter of auth.requests, or null while there is none */
    private MessageInfo deadLetter() {
        try (Connection c = nats()) {
            JetStreamManagement jsm = c.jetStreamManagement();
            for (String stream : jsm.getStreamNames("fluxrig.wire.auth.requests.dlq")) {
                return jsm.getLastMessage(stream, "fluxrig.wire.auth.requests.dlq");
            }
            return null;
        } catch (Exception none) {
            return null; // no stream or no message yet
        }
    }

    /**
     * The test's own admin connection to the demo's NATS. Tried up to three times: on a loaded
     * machine the TLS handshake and the credentials exchange can outlast the server's
     * authentication timeout ("Authentication Timeout"), which says nothing about the demo.
     */
    private Connection nats() throws Exception {
        Options options = new Options.Builder().server("tls://127.0.0.1:" + ports.get(0))
                .sslContext(TlsContexts.trusting(Pem.readCertificate(data.resolve("nats/tls/ca.crt"))))
                .authHandler(Nats.credentials(data.resolve("nats/creds/admin.creds").toString()))
                .connectionTimeout(Duration.ofSeconds(20)).noReconnect().build();
        for (int attempt = 1; ; attempt++) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private String edgeMetrics() throws Exception {
        return get(URI.create("http://127.0.0.1:" + ports.get(3) + "/metrics"),
                "Bearer " + Files.readString(data.resolve("racks/edge/metrics.token")).strip(), HttpClient.newHttpClient());
    }

    private static String get(URI u, String authorization, HttpClient http) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(20)).header("Authorization", authorization)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), u + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** @return the sum of the samples named {@code name} (with or without _total) whose labels hold {@code label}, or 0 */
    static double metric(String text, String name, String label) {
        Matcher m = Pattern.compile("^(" + name + "(?:_total)?)(\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE).matcher(text);
        double sum = 0;
        while (m.find()) {
            if (label == null || (m.group(2) != null && m.group(2).contains(label))) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    /** A 1987 ASCII 0200 (fields 2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49), its values as given, unchecked. */
    private static byte[] ascii(int panLength, String pan, String amount, String localDate) {
        return ("0200" + "7238000108C08000" + String.format("%02d", panLength) + pan + "000000" + amount + "0131235959" + "000778"
                + "235959" + localDate + "06" + "123456" + "000000000778" + "T0000778" + "MERCHANT0000001" + "840")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        return s;
    }

    private static void write(Socket s, byte[] body) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(body.length);
        out.write(body);
        out.flush();
    }

    private static String exchange(Socket s, byte[] body) throws IOException {
        write(s, body);
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        return new String(answer, StandardCharsets.US_ASCII);
    }

    /** @return the digits with their Luhn check digit appended */
    static String luhn(String body) {
        int sum = 0;
        boolean twice = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int d = body.charAt(i) - '0';
            if (twice) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            twice = !twice;
        }
        return body + (10 - sum % 10) % 10;
    }
}
