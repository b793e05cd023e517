package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.telemetry.FailedMessages;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.fluxrig.wire.WireHandler;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.WireTransport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JetStream {@link WireTransport} (service property {@code fluxrig.wire.transport=jetstream}),
 * configured by PID {@code fluxrig.wire.jetstream}; streams come from the
 * {@code fluxrig.wire.stream} factory configurations ({@link WireStreamDefinition}).
 *
 * <p>Lifecycle and threads: activation copies the configuration and starts the threads this
 * component owns, never blocking on the network: the connect thread ({@link NatsConnector};
 * jnats then reconnects forever) and per subscription a fetch thread plus a worker pool
 * ({@link WireConsumer}). {@link #deactivate()} closes subscriptions, then the publisher
 * (publishes awaiting an ack fail with "transport closed"), then the connection.
 * {@link #subscribe} may block up to a few seconds on the network when NATS is connected (it
 * provisions the stream and consumer so that a conflict is thrown to the caller); it never blocks
 * when NATS is down.
 *
 * <p>Publishing is one attempt per call ({@link WirePublisher}): this transport keeps no publish
 * buffer, window or retry, as {@link WireTransport} asks; the first publish to a wire on a
 * connection places it on its stream on the caller's thread (a JetStream API round trip).
 */
@Component(service = WireTransport.class, configurationPid = "fluxrig.wire.jetstream",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = WireTransport.NAME + "=jetstream")
@Designate(ocd = JetStreamConfig.class)
public final class JetStreamWireTransport implements WireTransport {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamWireTransport.class);

    private final NatsConnector connector;
    private final StreamProvisioner provisioner;
    private final WirePublisher publisher;
    private final DeadLetters deadLetters;
    private final WireTracing tracing = new WireTracing();
    /** The stream configurations in ConfigAdmin and which of them are bound: a wire waits for them. */
    private final StreamConfigurations streamConfigs = new StreamConfigurations();
    private MeterProvider meters;
    private FailedMessages failures;
    private WireMetrics metrics;
    private final Set<WireConsumer> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Copies and checks the configuration, then starts connecting in the background.
     *
     * @param config the transport configuration
     * @throws IllegalArgumentException naming the attribute when a value is invalid
     */
    @Activate
    public JetStreamWireTransport(JetStreamConfig config) {
        this(TransportSettings.from(config));
    }

    JetStreamWireTransport(TransportSettings settings) {
        this.connector = new NatsConnector(settings);
        this.provisioner = new StreamProvisioner(settings.defaults(), streamConfigs);
        this.publisher = new WirePublisher(connector, provisioner, settings, tracing);
        this.deadLetters = new DeadLetters(publisher, settings);
        connector.start();
        publisher.start();
        LOG.info("wire.jetstream: transport started, connecting to {}", settings.servers());
    }

    /** Binds a stream definition (factory configuration {@code fluxrig.wire.stream}). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStream(WireStreamDefinition definition, Map<String, Object> properties) {
        addStream(definition.spec());
        streamConfigs.bound(properties);
    }

    void unbindStream(WireStreamDefinition definition, Map<String, Object> properties) {
        streamConfigs.unbound(properties);
        provisioner.remove(definition.spec());
    }

    /**
     * ConfigAdmin, to see which stream configurations exist before they reach this transport
     * ({@link StreamConfigurations}); optional: without it a wire waits for none.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigAdmin(ConfigurationAdmin admin) {
        streamConfigs.configAdmin(admin);
    }

    void unbindConfigAdmin(ConfigurationAdmin admin) {
        streamConfigs.unbindConfigAdmin(admin);
    }

    /**
     * The rack's OpenTelemetry, registered by rack.telemetry only while tracing is enabled: without
     * it no send/process spans are made ({@link WireTracing}).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTelemetry(OpenTelemetry otel, Map<String, Object> properties) {
        tracing.telemetry(otel, properties);
    }

    void unbindTelemetry(OpenTelemetry otel) {
        tracing.unbind(otel);
    }

    /** The rack's recent failures, registered by rack.telemetry with the live console page: told of each dead letter. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindFailures(FailedMessages f) {
        failures = f;
        deadLetters.tell(f);
    }

    synchronized void unbindFailures(FailedMessages f) {
        if (failures == f) {
            failures = null;
            deadLetters.tell(null);
        }
    }

    /** The rack's MeterProvider, registered by rack.telemetry while metrics are on ({@link WireMetrics}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindMeters(MeterProvider provider) {
        metrics(provider);
    }

    synchronized void unbindMeters(MeterProvider provider) {
        if (meters == provider) {
            metrics(null);
        }
    }

    /** Starts (or, with null, stops) the transport's metrics on {@code provider}. */
    synchronized void metrics(MeterProvider provider) {
        if (metrics != null) {
            metrics.close();
        }
        meters = provider;
        metrics = provider == null ? null : new WireMetrics(provider, publisher, () -> List.copyOf(subscriptions));
    }

    /** For tests in this package: trace with {@code otel} (null: stop). */
    void telemetry(OpenTelemetry otel) {
        tracing.telemetry(otel);
    }

    /** For tests in this package: trace with {@code otel} registered with {@code properties}. */
    void telemetry(OpenTelemetry otel, Map<String, Object> properties) {
        tracing.telemetry(otel, properties);
    }

    void addStream(StreamSpec spec) {
        provisioner.add(spec);
    }

    @Override
    public CompletionStage<Void> publish(String wire, FluxMsg msg) {
        return publisher.publish(wire, msg);
    }

    /**
     * @throws WireConfigException when NATS is connected and the wire's stream or this consumer
     *     conflicts with this rack's definition (the message names the fields)
     * @throws IllegalArgumentException when the wire name is invalid
     */
    @Override
    public WireSubscription subscribe(String wire, String consumer, WireHandler handler) {
        if (closed) {
            throw new IllegalStateException("wire " + wire + ": transport closed");
        }
        WireConsumer c = new WireConsumer(connector, provisioner, deadLetters, wire, consumer, handler, tracing);
        c.start();
        subscriptions.add(c);
        return () -> {
            subscriptions.remove(c);
            c.close();
        };
    }

    /** @return CONNECTING, CONNECTED, DISCONNECTED or CLOSED */
    public String state() {
        return connector.state().name();
    }

    @Override
    public boolean connected() {
        return connector.state() == NatsConnector.State.CONNECTED;
    }

    @Override
    public String describe() {
        return status();
    }

    /**
     * @return one line for operators: connection state, publish counters, subscriptions, and the
     *     streams whose replicas differ from their configuration
     */
    public String status() {
        String replicas = provisioner.replicaReport();
        return "NATS " + connector.describe() + "; " + publisher.describe() + "; subscriptions "
                + subscriptions.size() + (replicas.isEmpty() ? "" : "; replicas differ from the configuration: " + replicas);
    }

    /** @return how many publishes failed (not connected, refused, no ack in time) */
    long publishFailures() {
        return publisher.failures();
    }

    /** @return the open subscriptions' consumers: lets tests in this package observe a fetch loop */
    List<WireConsumer> consumers() {
        return List.copyOf(subscriptions);
    }

    /** Closes subscriptions, the publisher and the connection, in that order. */
    @Deactivate
    public void deactivate() {
        closed = true;
        metrics(null);
        subscriptions.forEach(WireConsumer::close);
        subscriptions.clear();
        publisher.close();
        connector.close();
        LOG.info("wire.jetstream: transport stopped");
    }
}
