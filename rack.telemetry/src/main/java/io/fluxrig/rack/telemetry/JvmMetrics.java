package io.fluxrig.rack.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * JVM basics after OpenTelemetry's JVM conventions, read from the platform MXBeans when metrics
 * are collected (observable instruments: nothing runs between collections): {@code jvm.memory.used}
 * (bytes, {@code jvm.memory.type} heap / non_heap), {@code jvm.memory.limit} (heap max),
 * {@code jvm.gc.collections} and {@code jvm.gc.time} (ms, per collector {@code jvm.gc.name}),
 * {@code jvm.thread.count}, {@code jvm.cpu.time} (ms of this process). Stateless.
 */
final class JvmMetrics {
    static final String SCOPE = "io.fluxrig.rack.telemetry.jvm";
    private static final AttributeKey<String> TYPE = AttributeKey.stringKey("jvm.memory.type");
    private static final AttributeKey<String> GC = AttributeKey.stringKey("jvm.gc.name");

    private JvmMetrics() {
    }

    static void register(Meter meter) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Attributes heap = Attributes.of(TYPE, "heap");
        Attributes nonHeap = Attributes.of(TYPE, "non_heap");
        meter.upDownCounterBuilder("jvm.memory.used").setUnit("By").setDescription("memory in use")
                .buildWithCallback(m -> {
                    m.record(memory.getHeapMemoryUsage().getUsed(), heap);
                    m.record(memory.getNonHeapMemoryUsage().getUsed(), nonHeap);
                });
        meter.upDownCounterBuilder("jvm.memory.limit").setUnit("By").setDescription("the heap's maximum size")
                .buildWithCallback(m -> m.record(memory.getHeapMemoryUsage().getMax(), heap));
        meter.counterBuilder("jvm.gc.collections").setUnit("{collection}").setDescription("garbage collections")
                .buildWithCallback(m -> {
                    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                        m.record(Math.max(0, gc.getCollectionCount()), Attributes.of(GC, gc.getName()));
                    }
                });
        meter.counterBuilder("jvm.gc.time").setUnit("ms").setDescription("time spent in garbage collection")
                .buildWithCallback(m -> {
                    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                        m.record(Math.max(0, gc.getCollectionTime()), Attributes.of(GC, gc.getName()));
                    }
                });
        meter.upDownCounterBuilder("jvm.thread.count").setUnit("{thread}").setDescription("live threads")
                .buildWithCallback(m -> m.record(threads.getThreadCount()));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            meter.counterBuilder("jvm.cpu.time").setUnit("ms").setDescription("CPU time of this process")
                    .buildWithCallback(m -> m.record(os.getProcessCpuTime() / 1_000_000));
        }
    }
}
