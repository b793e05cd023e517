package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process supervisor with real child processes (sh). */
class SupervisorTest {
    @TempDir
    Path dir;

    /** A child that writes its readiness file, says so, and runs until SIGTERM, printing "stopped" then. */
    private List<String> child(String name) {
        Path ready = dir.resolve(name + ".ready");
        return List.of("sh", "-c", "trap 'echo " + name + " stopped; exit 0' TERM; echo " + name + " started; touch " + ready
                + "; while true; do sleep 0.1; done", dir.toString());
    }

    @Test
    void startsAwaitsReadinessAndStopsLastStartedFirst() throws Exception {
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        Path pids = dir.resolve("pids");
        Child a;
        Child b;
        try (Supervisor s = new Supervisor(dir.resolve("logs"), pids, said::add)) {
            a = s.start("a", child("a"));
            b = s.start("b", child("b"));
            a.awaitReady(Readiness.file(dir.resolve("a.ready")), Duration.ofSeconds(20));
            b.awaitReady(Readiness.file(dir.resolve("b.ready")), Duration.ofSeconds(20));
            assertEquals(List.of("a " + a.pid() + " " + started(a), "b " + b.pid() + " " + started(b)), Files.readAllLines(pids));
            assertEquals("a started", a.lines().get(0));
        }
        assertEquals(List.of("stopping b (pid " + b.pid() + ")", "stopping a (pid " + a.pid() + ")"), said);
        assertFalse(a.alive() || b.alive());
        assertTrue(a.output().contains("a stopped"), a.output());
        assertFalse(Files.exists(pids), "the pid file goes with the processes");
    }

    @Test
    void aChildThatEndsBeforeItIsReadyIsReportedWithItsLog() throws Exception {
        try (Supervisor s = new Supervisor(dir.resolve("logs"), null, null)) {
            Child c = s.start("broken", List.of("sh", "-c", "echo no config; exit 3"));
            IOException e = assertThrows(IOException.class, () -> c.awaitReady(Readiness.file(dir.resolve("never")), Duration.ofSeconds(20)));
            assertEquals("broken ended (exit 3) before it was ready (see " + dir.resolve("logs/broken.log") + ")\n"
                    + "broken's last lines:\n  no config", e.getMessage());
        }
    }

    /** A CI log keeps the failure's message, not the child's log: the message quotes the last lines, stack frames left out. */
    @Test
    void aChildNotReadyInTimeIsReportedWithItsLastLines() throws Exception {
        try (Supervisor s = new Supervisor(dir.resolve("logs"), null, null)) {
            Child c = s.start("stuck", List.of("sh", "-c", "for i in $(seq 1 20); do echo line $i; done; "
                    + "printf 'java.io.IOException: port in use\\n\\tat a.B.c(B.java:1)\\n\\t... 39 more\\n'; echo waiting; touch "
                    + dir.resolve("said") + "; while true; do sleep 0.1; done"));
            c.awaitReady(Readiness.file(dir.resolve("said")), Duration.ofSeconds(20));
            IOException e = assertThrows(IOException.class, () -> c.awaitReady(Readiness.file(dir.resolve("never")), Duration.ofMillis(300)));
            List<String> quoted = e.getMessage().lines().toList();
            assertTrue(quoted.get(0).startsWith("stuck was not ready within 0 s: waited for "), quoted.get(0));
            assertEquals("stuck's last lines:", quoted.get(1));
            List<String> expected = new ArrayList<>();
            for (int i = 11; i <= 20; i++) {
                expected.add("  line " + i);
            }
            expected.add("  java.io.IOException: port in use");
            expected.add("  waiting");
            assertEquals(expected, quoted.subList(2, quoted.size()));
        }
    }

    @Test
    void aDetachedSupervisorLeavesItsChildrenForALaterRunToStop() throws Exception {
        Path pids = dir.resolve("pids");
        Supervisor s = new Supervisor(dir.resolve("logs"), pids, null);
        Child kept = s.start("kept", child("kept"));
        kept.awaitReady(Readiness.file(dir.resolve("kept.ready")), Duration.ofSeconds(20));
        s.detach();
        s.close();
        assertTrue(kept.alive(), "--keep leaves it running");
        List<String> recorded = Files.readAllLines(pids);
        assertEquals(List.of("kept " + kept.pid() + " " + started(kept)), recorded);
        List<String> said = new ArrayList<>();
        Supervisor.stopRecorded(pids, said::add);
        assertFalse(kept.alive());
        assertEquals(List.of("stopping kept (pid " + kept.pid() + ")"), said);
        assertFalse(Files.exists(pids));
    }

    @Test
    void aRecordWhosePidNowBelongsToAnotherProcessIsNotSignalled() throws Exception {
        Path pids = dir.resolve("pids");
        Path home = Files.createDirectories(dir.resolve("edge"));
        try (Supervisor s = new Supervisor(dir.resolve("logs"), null, null)) {
            // A process under a recorded PID, but not the one recorded: its start instant differs
            // (as when the PID was reused), or the record has none (an older pid file).
            Child other = s.start("other", new StartLine(home, List.of("sh", "-c",
                    "trap 'exit 0' TERM; touch other.ready; while true; do sleep 0.1; done")));
            other.awaitReady(Readiness.file(home.resolve("other.ready")), Duration.ofSeconds(20));
            java.time.Instant earlier = java.time.Instant.parse(started(other)).minusSeconds(1);
            Files.writeString(pids, "edge " + other.pid() + " " + earlier + "\nold " + other.pid() + " -\nolder " + other.pid() + "\n");
            List<String> said = new ArrayList<>();
            Supervisor.stopRecorded(pids, said::add);
            assertTrue(other.alive(), "not the recorded process: not signalled");
            assertEquals(List.of(), said);
            assertFalse(Files.exists(pids), "the pid file is done with");
        }
    }

    private static String started(Child c) {
        return c.process().info().startInstant().orElseThrow().toString();
    }

    @Test
    void runToEndGivesStdinAndCollectsBothStreams() throws Exception {
        Supervisor.Result r = Supervisor.runToEnd(List.of("sh", "-c", "tr a-z A-Z; echo oops >&2; exit 4"),
                "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20));
        assertEquals(4, r.exit());
        assertEquals("HELLO", r.out());
        assertEquals("oops\n", r.stderr());
    }
}
