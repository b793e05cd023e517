package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.iso.Requests;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.CardDataScan;
import io.fluxrig.testsupport.OtlpReceiver;
import io.fluxrig.testsupport.OtlpReceiver.ReceivedSpan;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run/fluxrig demo --otlp URL} with real processes, pointed at an OTLP/HTTP receiver in this
 * test that decodes the protobuf itself: each ISO 8583 authorisation is one connected trace from
 * the edge's TCP read, across both wires and the core's call to the issuer, back to the edge's
 * TCP write; the issuer logs the traceparent it got. The trace checked is that of one more
 * authorisation sent after the demo's load, which warmed the path. Then both racks are switched to
 * gear calls as events while running, and one more authorisation is checked that way. The demo is kept running for the card-data
 * sweep ({@link DemoCardData}): test cards a terminal sends (track 2, PIN block, EMV 5A/57,
 * unparseable and oversized values) and a dead letter with card data, then a search of every
 * span, metric, console page, dead letter, {@code tail} output and log file for them.
 */
class PaymentDemoTraceIT {
    static final int COUNT = 10;
    static final int CONNECTIONS = 2;

    @TempDir
    Path data;

    @Test
    void oneAuthorisationIsOneTraceAcrossBothRacksAndWires() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Set<String> ports = new LinkedHashSet<>();
            while (ports.size() < 7) {
                ports.add(Integer.toString(Fluxrig.freePort()));
            }
            List<String> p = List.copyOf(ports);
            Supervisor.Result run = Fluxrig.run(new byte[0], Duration.ofMinutes(12), "demo", "--count", Integer.toString(COUNT),
                    "--connections", Integer.toString(CONNECTIONS), "--data", data.toString(), "--otlp", receiver.endpoint(), "--keep",
                    "--nats-port", p.get(0), "--issuer-port", p.get(1), "--iso-port", p.get(2), "--edge-console-port", p.get(3),
                    "--core-console-port", p.get(4), "--mixer-snake-port", p.get(5), "--mixer-api-port", p.get(6));
            String all = run.out() + "\n" + run.stderr();
            try {
                traced(receiver, run, all, p);
                int probes = gearCallsAsEvents(receiver, Integer.parseInt(p.get(2)));
                cardDataStaysMasked(receiver, run, p, COUNT + 1 + probes);
            } finally {
                Supervisor.Result stop = Fluxrig.run(new byte[0], Duration.ofMinutes(3), "demo", "--stop", "--data", data.toString());
                assertEquals(0, stop.exit(), stop.out() + stop.stderr());
            }
        }
    }

    private void traced(OtlpReceiver receiver, Supervisor.Result run, String all, List<String> ports) throws Exception {
        assertEquals(0, run.exit(), all);
        assertTrue(run.out().contains("sent " + COUNT + "  answered " + COUNT), all);

        // The roots: one SERVER span per request read by the edge's iso8583.server.
        Await.until("a root span per request", () -> roots(receiver).size() == COUNT);
        ReceivedSpan root = checkedAuthorisation(receiver, Integer.parseInt(ports.get(2)));
        String traceId = root.traceId();
        // The last span to end is the edge's TCP write; export is asynchronous and each rack exports
        // its own spans in its own batches (the core's may come after the edge's write), so wait for
        // the write and for the parent of every span received to be there too.
        List<ReceivedSpan> trace = Await.until("the whole trace at the receiver, down to the TCP write, each span's parent with it",
                () -> trace(receiver, traceId), PaymentDemoTraceIT::complete, Duration.ofSeconds(60));
        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
        String tree = trace.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n"));

        // Connected: every span but the root has its parent in the same trace.
        for (ReceivedSpan s : trace) {
            if (s != root) {
                assertNotNull(byId.get(s.parentSpanId()), "parent of " + s + " in the trace:\n" + tree);
            }
        }
        assertEquals(Set.of("edge", "core"), trace.stream().map(s -> s.resource().get("fluxrig.rack")).collect(Collectors.toSet()),
                tree);
        ReceivedSpan sendRequest = one(trace, "send auth.requests", tree);
        ReceivedSpan processRequest = one(trace, "process auth.requests", tree);
        ReceivedSpan sendReply = one(trace, "send auth.responses.edge", tree);
        ReceivedSpan processReply = one(trace, "process auth.responses.edge", tree);
        ReceivedSpan http = one(trace, "POST", tree);
        assertEquals("edge", sendRequest.resource().get("fluxrig.rack"));
        assertEquals("core", processRequest.resource().get("fluxrig.rack"));
        assertEquals(sendRequest.spanId(), processRequest.parentSpanId(), tree);
        assertEquals(List.of(sendRequest.spanId()), processRequest.linkedSpanIds(), tree);
        assertEquals(sendReply.spanId(), processReply.parentSpanId(), tree);
        assertEquals(List.of(sendReply.spanId()), processReply.linkedSpanIds(), tree);
        assertEquals("SPAN_KIND_CLIENT", http.kind());
        assertEquals("core", http.resource().get("fluxrig.rack"));
        assertEquals("200", http.attr("http.response.status_code"), tree);
        assertTrue(ancestors(byId, http).contains(processRequest), "the issuer call runs under the request's delivery:\n" + tree);
        assertTrue(ancestors(byId, sendReply).contains(http), "the decision is published under the issuer call:\n" + tree);
        // The TCP write: the edge's iso8583.server handling the encoded response on its in port.
        ReceivedSpan write = trace.stream().filter(s -> s.name().equals("iso8583.server terminals")
                && "in".equals(s.attr("fluxrig.gear.port"))).findFirst().orElseThrow(() -> new AssertionError(tree));
        assertTrue(ancestors(byId, write).contains(processReply), tree);
        assertEquals("0210", write.attr("iso8583.mti"), tree);
        assertNotNull(write.attr("iso8583.response_code"), tree);
        assertEquals("ok", write.attr("fluxrig.outcome"), tree);

        // The issuer logged the traceparent it got: the client span's (its log, DATA/logs/issuer.log,
        // written at most 200 ms after the request).
        String line = "fluxrig issuer: traceparent 00-" + traceId + "-" + http.spanId() + "-";
        Path issuerLog = data.resolve("logs").resolve("issuer.log");
        Await.until("the issuer's log line of the call", () -> java.nio.file.Files.readString(issuerLog),
                log -> log.contains(line), Duration.ofSeconds(10));
    }

    /**
     * Both racks switched to gear calls as events while they run (their tracing settings dropped
     * into {@code gears/}, as a user would): one more authorisation is still one connected trace,
     * now of the source, wire and HTTP spans, each gear call an event on the span it ran in, down to
     * the TCP write. A probe authorisation is sent until one is traced that way on both racks (the
     * racks apply the file on their own threads).
     *
     * @return how many authorisations it sent
     */
    private int gearCallsAsEvents(OtlpReceiver receiver, int isoPort) throws Exception {
        for (String rack : List.of("edge", "core")) {
            java.nio.file.Files.writeString(data.resolve("racks").resolve(rack).resolve("gears").resolve("fluxrig.telemetry.cfg"),
                    "enabled=true\nendpoint=" + receiver.endpoint() + "\ntrace.gear.calls=event\n");
        }
        List<ReceivedSpan> trace = List.of(); // the last complete trace of a probe
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int n = 992;
        for (; !asEvents(trace); n++) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no authorisation traced with gear calls as events on both racks within 120 s; the last:\n"
                        + trace.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n")));
            }
            // A probe that came through while a rack was applying the file (tracing restarts with it) has no root, or
            // a trace with a rack's part missing: the next one is checked.
            ReceivedSpan root = authorisationRoot(receiver, isoPort, n, Duration.ofSeconds(10));
            if (root != null) {
                long whole = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                do {
                    Thread.sleep(100);
                    trace = trace(receiver, root.traceId());
                } while (!complete(trace) && System.nanoTime() < whole);
                if (!complete(trace)) {
                    trace = List.of();
                }
            }
        }
        String tree = trace.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n"));
        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
        for (ReceivedSpan s : trace) {
            if (!s.parentSpanId().isEmpty()) {
                assertNotNull(byId.get(s.parentSpanId()), "parent of " + s + " in the trace:\n" + tree);
            }
        }
        assertEquals(List.of("POST", "iso8583.server terminals", "process auth.requests", "process auth.responses.edge",
                "send auth.requests", "send auth.responses.edge"), trace.stream().map(ReceivedSpan::name).sorted().toList(), tree);
        ReceivedSpan source = one(trace, "iso8583.server terminals", tree);
        assertEquals(List.of("deadline pending", "iso8583.codec decode", "json.map to-json", "transform stamp"),
                source.events().stream().map(OtlpReceiver.ReceivedEvent::name).sorted().toList(), tree);
        ReceivedSpan processRequest = one(trace, "process auth.requests", tree);
        OtlpReceiver.ReceivedEvent issuer = processRequest.events().stream().filter(e -> e.name().equals("json.http issuer"))
                .findFirst().orElseThrow(() -> new AssertionError("the issuer call is an event of the core's delivery:\n" + tree));
        assertEquals("ok", issuer.attr("fluxrig.outcome"), tree);
        assertEquals("core", processRequest.resource().get("fluxrig.rack"), tree);
        assertEquals(processRequest.spanId(), one(trace, "POST", tree).parentSpanId(), "the HTTP call runs in the delivery:\n" + tree);
        OtlpReceiver.ReceivedEvent write = one(trace, "process auth.responses.edge", tree).events().stream()
                .filter(e -> isWrite(e.name(), e.attributes())).findFirst().orElseThrow(() -> new AssertionError(tree));
        // Lean: its name says the gear, the span it is on says the message and the rack.
        assertEquals(Set.of("fluxrig.gear.port", "fluxrig.outcome", "fluxrig.gear.duration_ns"), write.attributes().keySet(), tree);
        assertEquals("ok", write.attr("fluxrig.outcome"), tree);
        assertTrue(Long.parseLong(write.attr("fluxrig.gear.duration_ns")) >= 0, tree);
        return n - 992;
    }

    /** @return whether a trace was made with gear calls as events: some span holds events, and no gear call is a span of its own */
    private static boolean asEvents(List<ReceivedSpan> trace) {
        return trace.stream().anyMatch(s -> !s.events().isEmpty())
                && trace.stream().noneMatch(s -> s.kind().equals("SPAN_KIND_INTERNAL") && s.attr("fluxrig.gear.instance") != null);
    }

    /**
     * Test cards through the kept demo, then the search; the demo is stopped before its logs are
     * searched. The racks record gear calls as events by then, so the events' attributes (a failed
     * call's reason among them) are searched with the spans. Fails naming each place card data was
     * found in clear.
     */
    private void cardDataStaysMasked(OtlpReceiver receiver, Supervisor.Result run, List<String> ports, int authorised) throws Exception {
        List<String> fleet = PaymentDemoIT.fleet(COUNT, CONNECTIONS).stream().flatMap(List::stream).map(PaymentDemoIT.Card::pan).toList();
        DemoCardData cards = new DemoCardData(data, ports);
        cards.send();
        CardDataScan scan = DemoCardData.planted(fleet);
        scan.scan("run/fluxrig demo output", run.out() + run.stderr());
        cards.scanRunning(scan, receiver, authorised);
        Supervisor.Result stop = Fluxrig.run(new byte[0], Duration.ofMinutes(3), "demo", "--stop", "--data", data.toString());
        assertEquals(0, stop.exit(), stop.out() + stop.stderr());
        scan.scan("run/fluxrig demo --stop output", stop.out() + stop.stderr());
        cards.scanLogs(scan);
        assertEquals(List.of(), scan.hits(), scan.report());
    }

    /**
     * The authorisation whose trace is checked: one more, on a terminal connection of its own,
     * through the kept demo once the demo's own load has gone through. That load warms the path
     * first: on a loaded machine the cold core's first call to the issuer (the Jetty client's first
     * connection and request classes, the issuer JVM's first request) can take longer than
     * json.http's 2 s timeout and be declined 96, a cold start and not what this test is about.
     *
     * @return the root span of that authorisation (a SERVER span of the edge's iso8583.server)
     */
    private static ReceivedSpan checkedAuthorisation(OtlpReceiver receiver, int isoPort) throws Exception {
        ReceivedSpan root = authorisationRoot(receiver, isoPort, 991, Duration.ofSeconds(30));
        assertNotNull(root, "no root span within 30 s for the checked authorisation");
        return root;
    }

    /**
     * Sends authorisation {@code n} on a connection of its own and checks its answer.
     *
     * @param n the request's STAN, retrieval reference and terminal, and its card's seed (another for each request)
     * @return the root span that came with it within {@code wait}, or null when none did
     */
    private static ReceivedSpan authorisationRoot(OtlpReceiver receiver, int isoPort, int n, Duration wait) throws Exception {
        Set<String> before = roots(receiver).stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
        String stan = String.format("%06d", n);
        byte[] request = codec.encode(Requests.purchase(stan, String.format("%012d", n), String.format("T%07d", n), new Random(n)));
        try (Socket terminal = new Socket("127.0.0.1", isoPort)) {
            terminal.setSoTimeout(15_000);
            DataOutputStream out = new DataOutputStream(terminal.getOutputStream());
            out.writeShort(request.length);
            out.write(request);
            out.flush();
            DataInputStream in = new DataInputStream(terminal.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            String text = new String(answer, StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("0210") && text.contains(stan), "the checked authorisation is answered: " + text);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            List<ReceivedSpan> fresh = roots(receiver).stream().filter(r -> !before.contains(r.spanId())).toList();
            if (!fresh.isEmpty()) {
                return fresh.get(0);
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** @return whether the spans hold the edge's TCP write (a span, or an event) and the parent of each span but the root */
    private static boolean complete(List<ReceivedSpan> trace) {
        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        return trace.stream().anyMatch(s -> isWrite(s.name(), s.attributes())
                        || s.events().stream().anyMatch(e -> isWrite(e.name(), e.attributes())))
                && trace.stream().allMatch(s -> s.parentSpanId().isEmpty() || ids.contains(s.parentSpanId()));
    }

    /** @return whether a span or event is the edge's iso8583.server handling the encoded response (its TCP write) */
    private static boolean isWrite(String name, Map<String, String> attributes) {
        return name.equals("iso8583.server terminals") && "in".equals(attributes.get("fluxrig.gear.port"));
    }

    private static List<ReceivedSpan> roots(OtlpReceiver receiver) {
        return receiver.spans(s -> s.parentSpanId().isEmpty() && s.name().equals("iso8583.server terminals")
                && s.kind().equals("SPAN_KIND_SERVER"));
    }

    private static List<ReceivedSpan> trace(OtlpReceiver receiver, String traceId) {
        return receiver.spans(s -> s.traceId().equals(traceId));
    }

    private static ReceivedSpan one(List<ReceivedSpan> trace, String name, String tree) {
        List<ReceivedSpan> found = trace.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, found.size(), name + " once in:\n" + tree);
        return found.get(0);
    }

    private static List<ReceivedSpan> ancestors(Map<String, ReceivedSpan> byId, ReceivedSpan s) {
        List<ReceivedSpan> up = new ArrayList<>();
        for (ReceivedSpan p = byId.get(s.parentSpanId()); p != null; p = byId.get(p.parentSpanId())) {
            up.add(p);
        }
        return up;
    }
}
