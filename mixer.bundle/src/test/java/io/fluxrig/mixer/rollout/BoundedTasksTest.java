package io.fluxrig.mixer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pure logic: how many tasks run at once, and that every item is run once. */
class BoundedTasksTest {
    @Test
    void runsUpToTheLimitAtOnceNeverMoreAndEveryItemOnce() throws Exception {
        int limit = 4;
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        // Each round of `limit` tasks meets at the barrier: it trips only when `limit` run at once
        // (one at a time, the first task would wait out the barrier's timeout and break it).
        CyclicBarrier together = new CyclicBarrier(limit);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger broken = new AtomicInteger();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        try (BoundedTasks tasks = new BoundedTasks(limit, "test")) {
            int threw = tasks.run(items, i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    together.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    broken.incrementAndGet();
                } finally {
                    running.decrementAndGet();
                }
                seen.add(i);
                runs.incrementAndGet();
            });
            assertEquals(0, threw);
        }
        assertEquals(0, broken.get(), "every round of " + limit + " tasks ran at once");
        assertEquals(limit, most.get(), "never more than the limit at once");
        assertEquals(40, runs.get());
        assertEquals(Set.copyOf(items), seen);
    }

    @Test
    void aTaskThatThrowsIsCountedAndTheOthersRun() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (BoundedTasks tasks = new BoundedTasks(3, "test")) {
            int threw = tasks.run(IntStream.range(0, 10).boxed().toList(), i -> {
                if (i % 5 == 0) {
                    throw new IllegalStateException("item " + i);
                }
                ran.incrementAndGet();
            });
            assertEquals(2, threw);
        }
        assertEquals(8, ran.get());
    }
}
