package io.fluxrig.cli.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.jetstream.JetStreamWireTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code wires}, {@code tail} and {@code wire replay} through {@link Main#run} against a real
 * nats-server, with wire traffic and dead letters produced by the real JetStream transport: a
 * rack's consumer that fails one message until it is dead-lettered, then (after the replay)
 * handles it.
 */
class WireCommandsTest {
    private static final String PAN = "4761739001010119";

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        return run(new ByteArrayOutputStream(), args);
    }

    private static Result run(ByteArrayOutputStream err, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static FluxMsg order(int n, boolean fail) {
        return FluxMsg.builder().src("test").data("n", n).data("fail", fail).data("pan", PAN).data("card.track2", PAN + "=2512")
                .data("card.cvv", "123").build();
    }

    @Test
    void wiresTailAndReplayAgainstARealServer() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            JetStreamWireTransport rack = new JetStreamWireTransport(TestJetStreamConfig.of(server.url(), server.creds(Role.RACK), server.caFile(), Map.of("connection_name", "rack-b",
                    "default_max_deliver", 2, "nak_delay_ms", 50L, "default_ack_wait_ms", 5000L)));
            Set<Integer> handled = ConcurrentHashMap.newKeySet();
            boolean[] failing = {true};
            try {
                Await.until("the rack's transport connected", () -> "CONNECTED".equals(rack.state()));
                for (int n = 0; n < 3; n++) {
                    rack.publish("orders", order(n, n == 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
                WireSubscription sub = rack.subscribe("orders", "rack-b.sink", d -> {
                    if (d.msg().getBoolean("fail") && failing[0]) {
                        d.nak(Duration.ofMillis(50), "issuer down");
                    } else {
                        handled.add(d.msg().getLong("n").intValue());
                        d.ack();
                    }
                });
                Await.until("orders 0 and 2 handled and `wires` showing DLQ 1 for orders", () -> handled.containsAll(List.of(0, 2)) && row(run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()), "orders").get(3).equals("1"));

                Result wires = run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString());
                assertEquals(0, wires.code(), wires.err());
                assertEquals(WiresCommand.HEADER, wires.out().lines().findFirst().orElseThrow());
                assertEquals(List.of("orders", "WIRE_orders", "3", "1", "rack-b_sink", "0", "0", "0", "3"), row(wires, "orders"));
                assertEquals(List.of("orders.dlq", "WIRE_orders_dlq", "1", "-", "-", "-", "-", "-", "-"), row(wires, "orders.dlq"));
                assertTrue(wires.out().endsWith("2 wires\n"), wires.out());

                Result tail = run("tail", "orders", "--from-start", "--count", "3", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString());
                assertEquals(0, tail.code(), "out: " + tail.out() + " err: " + tail.err());
                List<String> lines = tail.out().lines().toList();
                assertEquals(3, lines.size(), tail.out());
                assertFalse(tail.out().contains(PAN), "PAN must be masked: " + tail.out());
                assertTrue(lines.get(0).contains("\"pan\":\"476173******0119\""), lines.get(0));
                assertTrue(lines.get(0).contains("\"track2\":\"****\"") && lines.get(0).contains("\"cvv\":\"****\""), lines.get(0));
                assertTrue(lines.get(1).contains("\"wire.seq\":\"2\"") && lines.get(1).contains("\"n\":1"), lines.get(1));
                assertEquals(List.of("orders", "WIRE_orders", "3", "1", "rack-b_sink", "0", "0", "0", "3"),
                        row(run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()), "orders"), "tail took nothing from the durable consumer");

                Result dlq = run("tail", "orders.dlq", "--from-start", "--count", "1", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString());
                assertTrue(dlq.out().contains("\"wire.dlq.reason\":\"issuer down\"") && dlq.out().contains("\"n\":1"), dlq.out());

                Result[] live = new Result[1];
                ByteArrayOutputStream liveErr = new ByteArrayOutputStream(); // synchronized: read while the tail writes
                Thread t = new Thread(() -> live[0] = run(liveErr, "tail", "orders", "--count", "1", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()));
                t.start();
                // The tail says it waits once it has subscribed; only a message published after that is printed.
                Await.until("tail saying it waits for new messages", () -> liveErr.toString(StandardCharsets.UTF_8).contains("waiting for new messages"));
                rack.publish("orders", order(3, false)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                t.join(10_000);
                assertEquals(1, live[0].out().lines().count(), live[0].out());
                assertTrue(live[0].out().contains("\"n\":3") && live[0].err().contains("from the next message"), live[0].toString());

                Result dry = run("wire", "replay", "orders.dlq", "--dry-run", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString());
                assertEquals(0, dry.code(), dry.out() + dry.err());
                assertEquals("would replay orders.dlq seq 1 -> orders (was: issuer down)\nwould replay 1, kept 0\n", dry.out());
                assertEquals("1", row(run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()), "orders.dlq").get(2), "a dry run removes nothing");
                assertEquals("replayed 0, kept 0, skipped 1\n",
                        run("wire", "replay", "orders.dlq", "--seq", "7", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString()).out());
                assertEquals("replayed 0, kept 0, skipped 1\n",
                        run("wire", "replay", "orders.dlq", "--reason", "timeout", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString()).out());

                failing[0] = false;
                Result replay = run("wire", "replay", "orders.dlq", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString());
                assertEquals(0, replay.code(), replay.out() + replay.err());
                assertEquals("replayed orders.dlq seq 1 -> orders (stream WIRE_orders seq 5; was: issuer down)\nreplayed 1, kept 0\n",
                        replay.out());
                Await.until("the replayed order 1 handled", () -> handled.contains(1));
                Await.until("`wires` showing ACKED 5 for orders", () -> row(run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()), "orders").get(8).equals("5"));
                assertEquals(List.of("orders", "WIRE_orders", "5", "0", "rack-b_sink", "0", "0", "0", "5"),
                        row(run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()), "orders"));
                assertEquals("replayed 0, kept 0\n", run("wire", "replay", "orders.dlq", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString()).out());

                // A dead letter that is not a fluxMsg cannot succeed on its wire: kept unless --force.
                try (io.nats.client.Connection raw = server.connect()) {
                    io.nats.client.impl.Headers h = new io.nats.client.impl.Headers();
                    h.put("Fluxrig-Dlq-Wire", "orders");
                    h.put("Fluxrig-Dlq-Reason", "undecodable: offset 0");
                    raw.jetStream().publish("fluxrig.wire.orders.dlq", h, new byte[] {1, 2, 3});
                }
                Result refused = run("wire", "replay", "orders.dlq", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString());
                assertEquals(1, refused.code(), refused.out());
                assertTrue(refused.out().startsWith("kept orders.dlq seq 2: not a fluxMsg (") && refused.out().contains("--force sends it anyway")
                        && refused.out().endsWith("replayed 0, kept 1\n"), refused.out());
                assertEquals("would replay orders.dlq seq 2 -> orders (was: undecodable: offset 0)\nwould replay 1, kept 0\n",
                        run("wire", "replay", "orders.dlq", "--force", "--dry-run", "--server", server.url(), "--creds", server.creds(Role.ADMIN).toString(), "--ca", server.caFile().toString()).out());
                sub.close();
            } finally {
                rack.deactivate();
            }
        }
    }

    @Test
    void usageAndUnreachableServerErrors() {
        assertEquals(2, run("tail").code());
        assertEquals(2, run("tail", "orders", "--count", "0").code());
        assertEquals(2, run("wire", "replay", "orders.dlq", "--to", "bad wire").code());
        assertEquals(2, run("wires", "extra").code());
        Result r = run("wires", "--server", "nats://127.0.0.1:1");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("fluxrig wires: cannot reach NATS at nats://127.0.0.1:1"), r.err());
    }

    /** Attack: an operator tool talking to the TLS server without checking it, or trusting another CA. */
    @Test
    void aToolWithoutTheCaOrWithAnotherIsRefusedAndSaysWhy() throws Exception {
        try (NatsServer server = NatsServer.started(); NatsServer other = NatsServer.started()) {
            String plain = "nats://127.0.0.1:" + server.port();
            Result noCa = run("wires", "--server", plain, "--creds", server.creds(Role.READER).toString());
            assertEquals(1, noCa.code());
            assertTrue(noCa.err().startsWith("fluxrig wires: cannot reach NATS at " + plain + " (the server requires TLS but this "
                    + "client has no NATS CA file set"), noCa.err());
            Result wrongCa = run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca",
                    other.caFile().toString());
            assertEquals(1, wrongCa.code());
            assertTrue(wrongCa.err().contains("the server's TLS certificate is not signed by the CA this client trusts"), wrongCa.err());
            assertEquals(0, run("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca",
                    server.caFile().toString()).code(), "with its CA");
        }
    }

    @Test
    void sensitiveValuesAreMaskedAtAnyDepthAndRawIsDropped() {
        FluxMsg m = FluxMsg.builder().src("t").raw(new byte[] {1, 2}).data("2", 4761739001010119L).data("amount", 100)
                .data("iso.35", "4761739001010119=2512").data("iso.52", new byte[] {9, 9})
                .data("list", List.of(Map.of("PAN", "1234567890123456", "x", "y"))).data("pin_block", Map.of("a", "b")).build();
        FluxMsg masked = io.fluxrig.msg.SensitiveData.masked(m);
        assertEquals(null, masked.raw());
        assertEquals("476173******0119", masked.getString("2"));
        assertEquals(100L, masked.getLong("amount"));
        assertEquals("****", masked.getString("iso.35"));
        assertEquals("****", masked.getString("iso.52"));
        assertEquals("****", masked.getString("pin_block"));
        assertEquals(Map.of("PAN", "123456******3456", "x", "y"), masked.getList("list").get(0));
    }

    /** @return the whitespace-separated cells of the row of a wire */
    private static List<String> row(Result wires, String wire) {
        return wires.out().lines().map(l -> List.of(l.trim().split("\\s+"))).filter(c -> c.get(0).equals(wire)).findFirst()
                .orElse(List.of(wire, "", "", "", "", "", "", "", ""));
    }

}
