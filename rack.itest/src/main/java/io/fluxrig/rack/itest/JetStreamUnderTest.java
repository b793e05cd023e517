package io.fluxrig.rack.itest;

import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Hashtable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A real nats-server (JetStream, free client and monitoring ports, a temporary store, operator
 * mode, TLS) with the rack's jetstream transport configured to it (a rack's creds file, the
 * server's CA file), and a reader of durable consumer state from the
 * server's monitoring endpoint ({@code /jsz}), so tests can see what is acknowledged on the
 * broker itself rather than trusting the rack.
 */
final class JetStreamUnderTest implements AutoCloseable {
    private final BundleContext context;
    private final NatsServer nats;
    private final Configuration transportConfig;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * What {@code /jsz} says about one durable consumer.
     *
     * @param pending stream messages not yet delivered to it
     * @param waiting pull requests waiting on the server (the rack's fetch loop asking for more)
     */
    record ConsumerState(long ackPending, long redelivered, long deliveredConsumerSeq, long deliveredStreamSeq,
            long ackFloorStreamSeq, long pending, long waiting) {
    }

    JetStreamUnderTest(BundleContext context, ConfigurationAdmin configAdmin) throws Exception {
        this.context = context;
        this.nats = NatsServer.started();
        transportConfig = configAdmin.getConfiguration("fluxrig.wire.jetstream", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("servers", new String[] {nats.url()});
        props.put("credentials.file", nats.creds(Role.RACK).toString());
        props.put("tls.ca.file", nats.caFile().toString());
        props.put("connection.name", "itest");
        transportConfig.update(props);
        Await.until("jetstream transport registered", () -> {
            var ref = context.getServiceReference(WireTransport.class);
            return ref != null && "jetstream".equals(ref.getProperty(WireTransport.NAME));
        });
    }

    /** Starts nats-server again on the same ports and store, after {@link #stop()}. */
    void start() throws IOException, InterruptedException {
        nats.start();
    }

    /** Stops nats-server (SIGTERM; the store stays, for {@link #start()}). */
    void stop() throws InterruptedException {
        nats.stop();
    }

    /** @return the durable consumer name the rack uses for (instance, wire) in rack "itest" */
    static String durable(String instance, String wire) {
        return ("itest-" + instance + "-" + wire).replace('.', '_');
    }

    /**
     * @param durable the durable consumer name
     * @return its state on the server, or null when the server does not know it (yet)
     */
    ConsumerState consumer(String durable) {
        String json;
        try {
            json = http.send(HttpRequest.newBuilder(URI.create(nats.monitorUrl()
                    + "/jsz?accounts=true&streams=true&consumers=true")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("nats-server monitoring endpoint", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        json = json.replaceAll("\\s+", ""); // the server pretty-prints; names hold no blanks
        int at = json.indexOf("\"name\":\"" + durable + "\"");
        if (at < 0) {
            return null;
        }
        String rest = json.substring(at);
        return new ConsumerState(number(rest, "num_ack_pending"), number(rest, "num_redelivered"),
                number(rest, "\"delivered\":\\{\"consumer_seq\""), number(rest, "\"delivered\":\\{\"consumer_seq\":\\d+,\"stream_seq\""),
                number(rest, "\"ack_floor\":\\{\"consumer_seq\":\\d+,\"stream_seq\""), number(rest, "num_pending"),
                number(rest, "num_waiting"));
    }

    private static long number(String json, String field) {
        String key = field.startsWith("\"") ? field : "\"" + field + "\"";
        Matcher m = Pattern.compile(key + ":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in consumer info: " + json.substring(0, Math.min(600, json.length())));
        }
        return Long.parseLong(m.group(1));
    }

    @Override
    public void close() throws Exception {
        transportConfig.delete();
        nats.close();
    }
}
