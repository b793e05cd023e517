package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.IsoException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The errors of one {@code iso8583.codec} instance, counted by what failed, and reported as
 * {@code fluxrig.iso8583.codec.errors} while the rack's {@link MeterProvider} is bound. Attributes:
 * {@code fluxrig.gear.instance}, {@code fluxrig.iso8583.direction} ({@code decode}/{@code encode}),
 * {@code error.type} ({@code codec}: the bytes or fields do not fit the dialect; {@code validation};
 * {@code no_bytes}) and {@code iso8583.field} ({@code mti}, {@code bitmap}, {@code message} or the
 * field number): bounded words, never the value or the reason text, so no card data reaches a
 * label. Counting is always on (a LongAdder per kind seen); reporting only while bound.
 * Thread-safe: {@link #count} runs on any gear thread, {@link #bind} on DS threads.
 */
final class CodecMetrics {
    private static final AttributeKey<String> INSTANCE = ServerMetrics.INSTANCE;
    private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("fluxrig.iso8583.direction");
    private static final AttributeKey<String> FIELD = AttributeKey.stringKey("iso8583.field");

    private final String direction;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** This instance's name, learnt from the first message's context (the codec has no open). */
    private volatile String instance;
    private AutoCloseable callback;

    CodecMetrics(String direction) {
        this.direction = direction;
    }

    /** Counts one failure: {@code e} null for a validation failure or missing bytes ({@code type} says which). */
    void count(String gearInstance, String type, IsoException e) {
        instance = gearInstance;
        String field = e == null ? "message" : switch (e.field()) {
            case IsoException.MESSAGE -> "message";
            case IsoException.MTI -> "mti";
            case IsoException.BITMAP -> "bitmap";
            default -> Integer.toString(e.field());
        };
        counts.computeIfAbsent(type + ' ' + field, k -> new LongAdder()).increment();
    }

    /** Reports on {@code provider} (null: stop reporting). */
    synchronized void bind(MeterProvider provider) {
        if (callback != null) {
            try {
                callback.close();
            } catch (Exception ignored) {
                // an SDK that is shutting down
            }
            callback = null;
        }
        if (provider == null) {
            return;
        }
        callback = provider.get(ServerMetrics.SCOPE).counterBuilder("fluxrig.iso8583.codec.errors").setUnit("{message}")
                .setDescription("messages the codec refused, by direction, error.type and iso8583.field").buildWithCallback(m -> {
                    String name = instance;
                    if (name == null) {
                        return;
                    }
                    counts.forEach((k, v) -> {
                        int sp = k.indexOf(' ');
                        m.record(v.sum(), Attributes.builder().put(INSTANCE, name).put(DIRECTION, direction)
                                .put(ServerMetrics.ERROR_TYPE, k.substring(0, sp)).put(FIELD, k.substring(sp + 1)).build());
                    });
                });
    }
}
