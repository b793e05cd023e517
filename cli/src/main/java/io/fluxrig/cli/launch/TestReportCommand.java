package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code test-report}: one closing line over every JUnit report of a build: unit (surefire),
 * end-to-end (failsafe) and in-framework ({@code target/test-reports}, whose plugin prints no count
 * of its own). Zero in-framework tests is a failure: that is how a broken OSGi tester shows itself
 * (it finds nothing and the build stays green). Each failed test is named above that line with the
 * first line of its reason and, indented, up to {@value #MORE_LINES} more lines of its message (a
 * process's last words, quoted by {@link Child#awaitReady}), so a CI log that keeps only its tail
 * still says what failed and why.
 */
@Command(name = "test-report", description = {"sum up the JUnit reports of a build in one line: all: N passed, N failed, N skipped",
        "Reads MODULE/target/surefire-reports, failsafe-reports and test-reports (in-framework) under the checkout, "
                + "names each failed test on standard error. Exit 1 when a test failed or no in-framework test ran (a broken OSGi tester finds nothing and stays green)."})
public final class TestReportCommand implements Callable<Integer> {
    /** Lines of a failure's message printed below its first. */
    static final int MORE_LINES = 14;
    @Option(names = "--root", paramLabel = "DIR", description = "the checkout (default: the one this CLI was built in)")
    Path root;

    private final Console console;

    TestReportCommand(Console console) {
        this.console = console;
    }

    /** Counts of a set of reports, and the failed tests they name ("module: class.method: reason"). */
    record Counts(long tests, long failed, long skipped, long inFramework, List<String> failures) {
        static final Counts NONE = new Counts(0, 0, 0, 0, List.of());

        Counts plus(Counts o) {
            List<String> all = new ArrayList<>(failures);
            all.addAll(o.failures);
            return new Counts(tests + o.tests, failed + o.failed, skipped + o.skipped, inFramework + o.inFramework, List.copyOf(all));
        }
    }

    @Override
    public Integer call() throws IOException {
        Path dir = root != null ? root : Layout.locate(console.env()).root();
        Counts total = Counts.NONE;
        List<Path> modules;
        try (Stream<Path> s = Files.list(dir)) {
            modules = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path m : modules) {
            for (String kind : List.of("surefire-reports", "failsafe-reports", "test-reports")) {
                Path reports = m.resolve("target").resolve(kind);
                if (!Files.isDirectory(reports)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(reports)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                        total = total.plus(read(m.getFileName().toString(), f, kind.equals("test-reports")));
                    }
                }
            }
        }
        total.failures().forEach(f -> console.err().println("FAILED " + f));
        console.err().println("fluxrig: in-framework tests run: " + total.inFramework());
        console.out().println("all: " + (total.tests() - total.failed() - total.skipped()) + " passed, " + total.failed() + " failed, "
                + total.skipped() + " skipped");
        if (total.inFramework() == 0) {
            console.err().println("fluxrig: no in-framework test ran: the OSGi tester found nothing");
            return Exit.FAILED;
        }
        return total.failed() == 0 ? Exit.OK : Exit.FAILED;
    }

    private static Counts read(String module, Path report, boolean inFramework) throws IOException {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
            if (!suite.getTagName().equals("testsuite")) { // <testsuites>: the first suite, as the report's head
                var inner = suite.getElementsByTagName("testsuite");
                if (inner.getLength() == 0) {
                    return Counts.NONE;
                }
                suite = (Element) inner.item(0);
            }
            long tests = number(suite, "tests");
            return new Counts(tests, number(suite, "failures") + number(suite, "errors"), number(suite, "skipped"), inFramework ? tests : 0,
                    failures(module, suite));
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException(report + ": not a JUnit report: " + e.getMessage(), e);
        }
    }

    /** The test cases of a suite that hold a {@code <failure>} or an {@code <error>}. */
    private static List<String> failures(String module, Element suite) {
        List<String> out = new ArrayList<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            for (String kind : List.of("failure", "error")) {
                NodeList found = c.getElementsByTagName(kind);
                if (found.getLength() > 0) {
                    out.add(module + ": " + c.getAttribute("classname") + "." + c.getAttribute("name") + ": " + reason((Element) found.item(0)));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The reason of a failure: the first line of its message, with up to {@link #MORE_LINES} more of
     * the message indented below it; without a message, the first line of its trace (the frames
     * below say less than a message), else its type.
     */
    private static String reason(Element failure) {
        String message = failure.getAttribute("message");
        if (!message.isBlank()) {
            List<String> lines = message.strip().lines().toList();
            StringBuilder b = new StringBuilder(cut(lines.get(0).strip()));
            lines.subList(1, Math.min(lines.size(), 1 + MORE_LINES)).forEach(l -> b.append("\n    ").append(cut(l.stripTrailing())));
            if (lines.size() > 1 + MORE_LINES) {
                b.append("\n    (").append(lines.size() - 1 - MORE_LINES).append(" more lines in the report)");
            }
            return b.toString();
        }
        String text = failure.getTextContent() == null ? "" : failure.getTextContent().strip();
        if (text.isBlank()) {
            text = failure.getAttribute("type");
        }
        return cut(text.lines().findFirst().orElse("").strip());
    }

    private static String cut(String line) {
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static long number(Element e, String attribute) {
        String v = e.getAttribute(attribute);
        return v.matches("[0-9]+") ? Long.parseLong(v) : 0;
    }
}
