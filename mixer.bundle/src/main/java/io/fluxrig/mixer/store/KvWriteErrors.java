package io.fluxrig.mixer.store;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the writes to the Mixer's KV buckets that failed, per bucket, for the Mixer's metrics.
 * A write is {@code put}, {@code create}, {@code update}, {@code delete} or {@code purge}; it
 * failed when it threw an {@code IOException} (NATS unreachable, a timeout) or a JetStream
 * refusal. A compare-and-set that lost (JetStream error 10071, "wrong last sequence", also what
 * {@code create} of an existing key answers) is how the stores serialise writers, not a failure,
 * and is not counted.
 *
 * <p>Owned by {@link MixerStore}, which wraps each bucket handle it hands out with
 * {@link #counting}. Thread-safe.
 */
public final class KvWriteErrors {
    /** JetStream's "wrong last sequence": a compare-and-set that lost. */
    static final int CAS_LOST = 10071;
    private static final Set<String> WRITES = Set.of("put", "create", "update", "delete", "purge");

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    /**
     * @param kv a bucket handle
     * @param bucket its name
     * @return the same handle, counting its failed writes here
     */
    KeyValue counting(KeyValue kv, String bucket) {
        LongAdder count = errors.computeIfAbsent(bucket, b -> new LongAdder());
        return (KeyValue) Proxy.newProxyInstance(KeyValue.class.getClassLoader(), new Class<?>[] {KeyValue.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(kv, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        if (WRITES.contains(method.getName()) && failed(cause)) {
                            count.increment();
                        }
                        throw cause;
                    }
                });
    }

    private static boolean failed(Throwable t) {
        return !(t instanceof JetStreamApiException j && j.getApiErrorCode() == CAS_LOST);
    }

    /** @return failed writes so far per bucket, every bucket handed out listed (0 when none failed) */
    public Map<String, Long> byBucket() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((b, n) -> out.put(b, n.sum()));
        return out;
    }
}
