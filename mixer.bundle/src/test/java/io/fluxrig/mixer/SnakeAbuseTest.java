package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.testsupport.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Snake under abuse, against the real Mixer (real nats-server, real TLS): slow enrolment
 * requests (slow loris) from one address while an enrolled rack heartbeats, and clients without
 * a certificate on every authenticated route. TLS 1.2 is refused in the handshake
 * ({@code SnakeRefusalTest.aTls12ClientIsRefused}), before any route.
 */
class SnakeAbuseTest {
    private static final int ATTACKERS = 40;

    // "The rack stays online" is read from the registry: with the offline rule far beyond the
    // waits' patience it can only fail if the heartbeats stop, not when a loaded machine delays one.
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer(dir -> new MixerFixture(dir, SnakeObserver.NONE, MixerFixture.OFFLINE_NEVER_BY_DELAY));
    static MixerFixture f;

    /**
     * One slow-loris client: a TLS connection without a certificate that announces a 4,000-byte
     * enrolment body and trickles it a byte every 100 ms, and when the Mixer answers or closes,
     * reconnects a second later and starts again, until stopped. Records the status lines it was answered with.
     */
    private static final class SlowEnrolment implements Runnable {
        private final SSLContext tls;
        private final AtomicBoolean stop;
        private final Set<String> answers;
        private final AtomicInteger connected;

        SlowEnrolment(SSLContext tls, AtomicBoolean stop, Set<String> answers, AtomicInteger connected) {
            this.tls = tls;
            this.stop = stop;
            this.answers = answers;
            this.connected = connected;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", f.mixer.snakePort())) {
                    s.setSoTimeout(20_000);
                    s.startHandshake();
                    s.setSoTimeout(100);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST " + SnakeRoute.ENROL.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                            + "\r\nContent-Length: 4000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    connected.incrementAndGet();
                    trickleUntilAnswered(s, out);
                } catch (IOException e) {
                    answers.add("closed"); // refused or reset by the Mixer: reconnect
                }
                pause(); // then come back, as a slow-loris client does
            }
        }

        private void trickleUntilAnswered(SSLSocket s, OutputStream out) throws IOException {
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int sent = 1; sent < 4000 && !stop.get(); sent++) {
                out.write(' ');
                out.flush();
                try {
                    int b;
                    while ((b = in.read()) != -1 && b != '\n') {
                        line.append((char) b);
                    }
                    if (b == '\n') {
                        answers.add(line.toString().trim());
                        drainBody(in);
                        return;
                    }
                    answers.add("closed");
                    return;
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // no answer in 100 ms: keep trickling
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void drainBody(InputStream in) throws IOException {
            StringBuilder rest = new StringBuilder();
            byte[] b = new byte[4096];
            try {
                for (int n; (n = in.read(b)) > 0;) {
                    rest.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.net.SocketTimeoutException | javax.net.ssl.SSLException e) {
                // the refusal was read: enough
            }
            REASONS.add(rest.substring(Math.max(0, rest.indexOf("{"))));
        }
    }

    static final Set<String> REASONS = ConcurrentHashMap.newKeySet();

    @Test
    void fortySlowEnrolmentsDoNotStopAnEnrolledRacksHeartbeats() throws Exception {
        Path dir = f.enrol("edge-hb");
        try (FakeRack rack = f.start("edge-hb", dir, 1000)) {
            f.awaitRack("edge-hb", r -> RackRecord.ONLINE.equals(r.state()));
            AtomicBoolean stop = new AtomicBoolean();
            Set<String> answers = ConcurrentHashMap.newKeySet();
            AtomicInteger connected = new AtomicInteger();
            SSLContext tls = TestPki.context(f.mixer.ca().certificate(), null);
            List<Thread> attackers = new ArrayList<>();
            for (int i = 0; i < ATTACKERS; i++) {
                Thread t = new Thread(new SlowEnrolment(tls, stop, answers, connected), "slow-enrol-" + i);
                t.setDaemon(true);
                attackers.add(t);
                t.start();
            }
            try {
                // The attack is under way: the attackers have sent 40 sets of headers.
                Await.until("40 slow enrolments connected", () -> connected.get() >= ATTACKERS, MixerFixture.PATIENCE);
                long beats = rack.heartbeats();
                long failures = rack.heartbeatFailures();
                int attacksBefore = connected.get();
                long seen = f.mixer.store().racks().get("edge-hb").orElseThrow().lastSeen();
                for (int advanced = 0; advanced < 6; advanced++) {
                    long before = seen;
                    RackRecord r = f.awaitRack("edge-hb", x -> x.lastSeen() > before || !RackRecord.ONLINE.equals(x.state()));
                    assertEquals(RackRecord.ONLINE, r.state(), "the rack stays online during the attack: " + r);
                    seen = r.lastSeen();
                }
                // The rack counts a heartbeat when its answer arrives, after the Mixer recorded it.
                Await.until("the rack counted the heartbeats the Mixer recorded", () -> rack.heartbeats() >= beats + 6, MixerFixture.PATIENCE);
                assertEquals(failures, rack.heartbeatFailures(), "no heartbeat failed during the attack");
                Await.until("a slow enrolment answered 408", () -> answers.contains("HTTP/1.1 408 Request Timeout"), MixerFixture.PATIENCE);
                assertEquals(RackRecord.ONLINE, f.mixer.store().racks().get("edge-hb").orElseThrow().state());
                assertTrue(connected.get() >= attacksBefore + ATTACKERS,
                        "the attack went on all along: " + (connected.get() - attacksBefore) + " slow requests meanwhile");
            } finally {
                stop.set(true);
                for (Thread t : attackers) {
                    t.join(10_000);
                }
            }
            assertTrue(answers.stream().anyMatch(a -> a.startsWith("HTTP/1.1 429")), "per-source cap answered 429: " + answers);
            assertTrue(REASONS.stream().anyMatch(r -> r.contains("too many requests without a client certificate from 127.0.0.1")),
                    "with the reason: " + REASONS);
            assertTrue(REASONS.stream().anyMatch(r -> r.contains("the enrolment body was sent too slowly")),
                    "a body trickled below the minimum data rate is answered 408 with the reason: " + REASONS);
        }
    }

    @Test
    void everyAuthenticatedRouteRefusesAClientWithoutCertificate() throws Exception {
        for (SnakeRoute route : SnakeRoute.values()) {
            if (!route.mutualTls()) {
                continue;
            }
            String path = route == SnakeRoute.ARTIFACT ? route.path() + "0".repeat(64)
                    : route == SnakeRoute.COMMANDS ? route.path() + "?waitMs=0" : route.path();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://" + f.snake() + path));
            b = "GET".equals(route.method()) ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{}"));
            HttpResponse<String> r = MixerFixture.client(TestPki.context(f.mixer.ca().certificate(), null))
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), route + " " + r.body());
            assertEquals("client certificate required", f.read(r.body()).get("error").asText(), route.toString());
        }
    }
}
