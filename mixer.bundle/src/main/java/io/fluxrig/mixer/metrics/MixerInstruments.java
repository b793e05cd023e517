package io.fluxrig.mixer.metrics;

import io.fluxrig.mixer.command.CommandCounts;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.rollout.Rollouts;
import io.fluxrig.mixer.store.KvWriteErrors;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.snake.api.rollout.Rollout;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The Mixer's instruments, read from its parts when metrics are collected (a Prometheus scrape,
 * an OTLP export): racks by state (the registry's in-memory view), heartbeats and their latency,
 * enrolments, commands queued, delivered and their results, unfinished commands, rollouts by state
 * (as the rollout driver's last tick read them), open Snake connections and failed KV writes.
 * Labels hold names and states only.
 *
 * <p>Made by the {@code Mixer} once its parts run and published as a service while the Mixer
 * runs; {@link MixerMetricsComponent} registers it with the rack.telemetry meter provider. The
 * callbacks run on the collecting thread and read only memory.
 */
public final class MixerInstruments {
    /** The instrumentation scope of the Mixer's metrics. */
    public static final String SCOPE = "io.fluxrig.mixer";
    static final AttributeKey<String> RACK_STATE = AttributeKey.stringKey("fluxrig.rack.state");
    static final AttributeKey<String> ROLLOUT_STATE = AttributeKey.stringKey("fluxrig.rollout.state");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fluxrig.enrolment.outcome");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("fluxrig.command.status");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("fluxrig.snake.route");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> BUCKET = AttributeKey.stringKey("fluxrig.kv.bucket");
    private static final List<String> RACK_STATES = List.of(RackRecord.PENDING, RackRecord.ONLINE, RackRecord.OFFLINE,
            RackRecord.REVOKED);
    private static final List<String> ROLLOUT_STATES = List.of(Rollout.RUNNING, Rollout.PAUSED, Rollout.ROLLING_BACK,
            Rollout.DONE, Rollout.FAILED, Rollout.ROLLED_BACK, Rollout.ABORTED);

    private final SnakeCounts snake;
    private final RackRegistry racks;
    private final Commands commands;
    private final Rollouts rollouts;
    private final KvWriteErrors kv;
    private final IntSupplier connections;

    /**
     * @param snake the Snake's counters
     * @param racks the registry
     * @param commands the commands
     * @param rollouts the rollouts
     * @param kv failed KV writes
     * @param connections open Snake connections
     */
    public MixerInstruments(SnakeCounts snake, RackRegistry racks, Commands commands, Rollouts rollouts, KvWriteErrors kv,
            IntSupplier connections) {
        this.snake = snake;
        this.racks = racks;
        this.commands = commands;
        this.rollouts = rollouts;
        this.kv = kv;
        this.connections = connections;
    }

    /**
     * Registers the instruments.
     *
     * @param meter the meter of scope {@value #SCOPE}
     * @return closes them again (the histogram stops recording)
     */
    public AutoCloseable register(Meter meter) {
        List<AutoCloseable> open = new ArrayList<>();
        open.add(meter.gaugeBuilder("fluxrig.mixer.racks").ofLongs().setUnit("{rack}")
                .setDescription("Registered racks by state").buildWithCallback(m -> racksByState(m)));
        open.add(meter.counterBuilder("fluxrig.mixer.heartbeats").setUnit("{heartbeat}")
                .setDescription("Heartbeats accepted by this Mixer").buildWithCallback(m -> m.record(snake.heartbeats())));
        open.add(meter.counterBuilder("fluxrig.mixer.enrolments").setUnit("{enrolment}")
                .setDescription("Enrolments answered by this Mixer, by outcome").buildWithCallback(m -> {
                    m.record(snake.enrolled(), Attributes.of(OUTCOME, "enrolled"));
                    m.record(snake.refused(), Attributes.of(OUTCOME, "refused"));
                }));
        open.add(meter.counterBuilder("fluxrig.mixer.snake.refusals").setUnit("{request}")
                .setDescription("Snake requests refused (answered with a reason, not 2xx), by route and status")
                .buildWithCallback(m -> snake.refusals().forEach((k, n) -> m.record(n,
                        Attributes.of(ROUTE, k.route(), HTTP_STATUS, (long) k.status())))));
        CommandCounts c = commands.counts();
        open.add(meter.counterBuilder("fluxrig.mixer.commands.queued").setUnit("{command}")
                .setDescription("Commands queued on this Mixer").buildWithCallback(m -> m.record(c.queuedTotal())));
        open.add(meter.counterBuilder("fluxrig.mixer.commands.delivered").setUnit("{command}")
                .setDescription("Command deliveries to racks (a redelivery counts again)")
                .buildWithCallback(m -> m.record(c.deliveredTotal())));
        open.add(meter.counterBuilder("fluxrig.mixer.commands.results").setUnit("{command}")
                .setDescription("First results racks reported, by status (done, failed, refused)")
                .buildWithCallback(m -> c.results().forEach((s, n) -> m.record(n, Attributes.of(STATUS, s)))));
        open.add(meter.gaugeBuilder("fluxrig.mixer.commands.unfinished").ofLongs().setUnit("{command}")
                .setDescription("Commands without a result yet, all racks").buildWithCallback(m -> m.record(commands.unfinishedCount())));
        open.add(meter.gaugeBuilder("fluxrig.mixer.rollouts").ofLongs().setUnit("{rollout}")
                .setDescription("Rollouts by state (as the rollout driver last read them)").buildWithCallback(m -> {
                    Map<String, Long> byState = new TreeMap<>();
                    ROLLOUT_STATES.forEach(s -> byState.put(s, 0L));
                    byState.putAll(rollouts.statesAtLastTick());
                    byState.forEach((s, n) -> m.record(n, Attributes.of(ROLLOUT_STATE, s)));
                }));
        open.add(meter.gaugeBuilder("fluxrig.mixer.snake.connections").ofLongs().setUnit("{connection}")
                .setDescription("Open Snake connections").buildWithCallback(m -> m.record(connections.getAsInt())));
        open.add(meter.counterBuilder("fluxrig.mixer.kv.write.errors").setUnit("{write}")
                .setDescription("Writes to the Mixer's KV buckets that failed (a lost compare-and-set is not one)")
                .buildWithCallback(m -> kv.byBucket().forEach((b, n) -> m.record(n, Attributes.of(BUCKET, b)))));
        snake.bind(meter.histogramBuilder("fluxrig.mixer.heartbeat.duration").setUnit("s")
                .setDescription("Time from a heartbeat's arrival to its answer, the registry's NATS round trip included")
                .setExplicitBucketBoundariesAdvice(List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))
                .build());
        return () -> {
            snake.bind(null);
            for (AutoCloseable a : open) {
                a.close();
            }
        };
    }

    private void racksByState(ObservableLongMeasurement m) {
        Map<String, Long> byState = new TreeMap<>();
        RACK_STATES.forEach(s -> byState.put(s, 0L));
        try {
            racks.list().forEach(r -> byState.merge(String.valueOf(r.state()), 1L, Long::sum));
        } catch (IOException e) {
            return; // the view is in memory: never thrown today
        }
        byState.forEach((s, n) -> m.record(n, Attributes.of(RACK_STATE, s)));
    }
}
