package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code test-report} over report files laid out as a build leaves them. */
class TestReportCommandTest {
    @TempDir
    Path root;

    private void report(String module, String kind, String name, int tests, int failures, int errors, int skipped) throws Exception {
        Path d = Files.createDirectories(root.resolve(module).resolve("target").resolve(kind));
        Files.writeString(d.resolve("TEST-" + name + ".xml"), "<?xml version=\"1.0\"?>\n<testsuite name=\"" + name + "\" tests=\"" + tests
                + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\"><testcase name=\"x\"/></testsuite>");
    }

    private String[] run() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"test-report", "--root", root.toString()}, new Console(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void oneLineOverUnitInFrameworkAndEndToEndReports() throws Exception {
        report("cli", "surefire-reports", "a", 10, 0, 0, 1);
        report("run", "failsafe-reports", "b", 3, 1, 1, 0);
        report("rack.itest", "test-reports/nested", "c", 4, 0, 0, 0);
        String[] r = run();
        assertEquals("all: 14 passed, 2 failed, 1 skipped\n", r[1]);
        assertEquals("1", r[0], "a failure fails the run");
        assertEquals("fluxrig: in-framework tests run: 4\n", r[2]);
    }

    @Test
    void eachFailedTestIsNamedWithTheFirstLineOfItsReason() throws Exception {
        Path d = Files.createDirectories(root.resolve("rack.itest").resolve("target").resolve("test-reports"));
        Files.writeString(d.resolve("TEST-t.xml"), """
                <?xml version="1.0"?>
                <testsuite name="t" tests="3" failures="1" errors="1" skipped="0">
                  <testcase classname="io.fluxrig.A" name="passes"/>
                  <testcase classname="io.fluxrig.A" name="fails"><failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="AssertionFailedError">trace</failure></testcase>
                  <testcase classname="io.fluxrig.B" name="throws"><error type="java.lang.IllegalStateException">java.lang.IllegalStateException: gone
                	at io.fluxrig.B.throws(B.java:1)</error></testcase>
                </testsuite>
                """);
        String[] r = run();
        assertEquals("all: 1 passed, 2 failed, 0 skipped\n", r[1]);
        assertEquals("1", r[0]);
        assertEquals("FAILED rack.itest: io.fluxrig.A.fails: expected: <1> but was: <2>\n"
                + "FAILED rack.itest: io.fluxrig.B.throws: java.lang.IllegalStateException: gone\n"
                + "fluxrig: in-framework tests run: 3\n", r[2]);
    }

    /** A message of several lines (a process's last lines, quoted when it was not ready) is printed below, indented and bounded. */
    @Test
    void theMoreLinesOfAMessageFollowIndentedUpToABound() throws Exception {
        Path d = Files.createDirectories(root.resolve("run").resolve("target").resolve("failsafe-reports"));
        StringBuilder message = new StringBuilder("mixer-1 was not ready within 120 s&#10;mixer-1's last lines:");
        for (int i = 1; i <= 20; i++) {
            message.append("&#10;  line ").append(i);
        }
        Files.writeString(d.resolve("TEST-m.xml"), "<?xml version=\"1.0\"?>\n<testsuite name=\"m\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">"
                + "<testcase classname=\"io.fluxrig.run.M\" name=\"starts\"><error message=\"" + message
                + "\" type=\"java.io.IOException\">java.io.IOException: mixer-1 was not ready\n\tat x.Y.z(Y.java:1)</error></testcase></testsuite>");
        report("rack.itest", "test-reports", "c", 1, 0, 0, 0);
        StringBuilder expected = new StringBuilder("FAILED run: io.fluxrig.run.M.starts: mixer-1 was not ready within 120 s\n    mixer-1's last lines:\n");
        for (int i = 1; i <= TestReportCommand.MORE_LINES - 1; i++) {
            expected.append("      line ").append(i).append('\n');
        }
        expected.append("    (").append(20 - TestReportCommand.MORE_LINES + 1).append(" more lines in the report)\n");
        String[] r = run();
        assertEquals(expected + "fluxrig: in-framework tests run: 1\n", r[2]);
    }

    @Test
    void zeroInFrameworkTestsFailTheRun() throws Exception {
        report("cli", "surefire-reports", "a", 10, 0, 0, 0);
        String[] r = run();
        assertEquals("all: 10 passed, 0 failed, 0 skipped\n", r[1]);
        assertEquals("1", r[0]);
        assertEquals("fluxrig: in-framework tests run: 0\nfluxrig: no in-framework test ran: the OSGi tester found nothing\n", r[2]);
    }
}
