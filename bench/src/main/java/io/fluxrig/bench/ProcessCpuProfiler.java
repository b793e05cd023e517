package io.fluxrig.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting {@code cpu.ns.per.op}: the CPU time of JMH's worker threads (the
 * threads running the benchmark method, found by name) per operation in each iteration. On a
 * machine shared with other work, wall-clock throughput moves with everything else that runs,
 * while the benchmark thread's own CPU time per operation barely does, so two codecs measured
 * minutes apart can still be compared. GC and JIT threads are not counted (allocation is reported
 * by JMH's GC profiler). Also {@code process.cpu.ns.per.op}: the CPU time of the whole forked JVM
 * per operation (every thread: GC, JIT, and background work such as a span exporter's), for
 * benchmarks whose cost is partly off the benchmark thread. Runs in the forked JVM, on JMH's
 * control thread.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = new HashMap<>();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long processStart;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark (worker) threads per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start.clear();
        workers().forEach(start::put);
        processStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long used = 0;
        for (Map.Entry<Long, Long> e : workers().entrySet()) {
            used += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        long process = os.getProcessCpuTime() - processStart;
        long ops = result.getMetadata().getAllOps();
        double perOp = ops == 0 ? Double.NaN : (double) used / ops;
        double processPerOp = ops == 0 ? Double.NaN : (double) process / ops;
        return List.of(new ScalarResult("cpu.ns.per.op", perOp, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("process.cpu.ns.per.op", processPerOp, "ns/op", AggregationPolicy.AVG));
    }

    /** @return CPU time in ns by thread id, of the live JMH worker threads */
    private Map<Long, Long> workers() {
        Map<Long, Long> out = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("jmh-worker")) {
                long cpu = threads.getThreadCpuTime(t.getId());
                if (cpu >= 0) {
                    out.put(t.getId(), cpu);
                }
            }
        }
        return out;
    }
}
