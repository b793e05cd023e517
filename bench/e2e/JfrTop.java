import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Top frames of a JFR recording's CPU samples ({@code jdk.ExecutionSample}): the methods that
 * were on top of the stack (self) and the methods anywhere on the stack (total), each as a share
 * of all samples, and the allocation (in {@code jdk.ObjectAllocationSample} weight) by top frame.
 * Run in Java's source-file mode: {@code java bench/e2e/JfrTop.java FILE.jfr [N] [FILTER]}; with
 * FILTER only methods whose class name contains it are listed in the "total" table (e.g.
 * {@code io.fluxrig}).
 */
public class JfrTop {
    public static void main(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String filter = args.length > 2 ? args[2] : null;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> owner = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        long samples = 0;
        long allocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                String own = null;
                for (RecordedFrame f : frames) { // the innermost frame of FILTER: whose work this sample was
                    if (filter != null && name(f).contains(filter)) {
                        own = name(f);
                        break;
                    }
                }
                owner.merge(own == null ? "(no " + filter + " frame: " + e.getThread("sampledThread").getJavaName() + ")" : own, 1,
                        Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String m = name(f);
                    if (seen.add(m)) {
                        total.merge(m, 1, Integer::sum);
                    }
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long w = e.getLong("weight");
                allocTotal += w;
                String top = null;
                for (RecordedFrame f : frames) { // first frame outside the JDK: who allocated
                    String m = name(f);
                    if (!m.startsWith("java.") && !m.startsWith("jdk.") && !m.startsWith("sun.")) {
                        top = m;
                        break;
                    }
                }
                alloc.merge(top == null ? name(frames.get(0)) : top, w, Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d CPU samples%n", Path.of(args[0]).getFileName(), samples);
        print("self", self, samples, n, null);
        print("total", total, samples, n, filter);
        if (filter != null) {
            print("innermost " + filter + " frame (the rest: the JDK and libraries it called)", owner, samples, n, null);
        }
        if (allocTotal > 0) {
            System.out.printf(Locale.ROOT, "allocation by first non-JDK frame (%.1f MB sampled weight)%n", allocTotal / 1e6);
            double all = allocTotal;
            alloc.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                    .forEach(x -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * x.getValue() / all, x.getKey()));
        }
    }

    private static void print(String what, Map<String, Integer> m, long samples, int n, String filter) {
        System.out.println(what + (filter == null ? "" : " (" + filter + ")"));
        m.entrySet().stream().filter(x -> filter == null || x.getKey().contains(filter))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(x -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * x.getValue() / samples, x.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
