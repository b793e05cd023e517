package io.fluxrig.rack.itest;

import io.fluxrig.testsupport.Await;
import io.fluxrig.wire.WireTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A real nats-server (JetStream, free client and monitoring ports, a temporary store) with the
 * rack's jetstream transport configured to it, and a reader of durable consumer state from the
 * server's monitoring endpoint ({@code /jsz}), so tests can see what is acknowledged on the
 * broker itself rather than trusting the rack.
 */
final class JetStreamUnderTest implements AutoCloseable {
    private final BundleContext context;
    private final Path store;
    private final int port;
    private final int monitorPort;
    private Process nats;
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
        this.port = freePort();
        this.monitorPort = freePort();
        this.store = Files.createTempDirectory("itest-nats");
        start();
        transportConfig = configAdmin.getConfiguration("fluxrig.wire.jetstream", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("servers", new String[] {"nats://127.0.0.1:" + port});
        props.put("connection.name", "itest");
        transportConfig.update(props);
        Await.until("jetstream transport registered", () -> {
            var ref = context.getServiceReference(WireTransport.class);
            return ref != null && "jetstream".equals(ref.getProperty(WireTransport.NAME));
        });
    }

    /** Starts nats-server on this object's ports and store (again, after {@link #kill()}). */
    void start() throws IOException, InterruptedException {
        nats = new ProcessBuilder("nats-server", "-js", "-sd", store.toString(), "-p", Integer.toString(port),
                "-m", Integer.toString(monitorPort), "-a", "127.0.0.1").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(store.resolve("nats.log").toFile())).start();
        Await.until("nats-server listening on " + port, () -> listening(port) && listening(monitorPort));
    }

    /** Stops nats-server (the store stays, for {@link #start()}). */
    void kill() throws InterruptedException {
        nats.destroy();
        nats.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
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
            json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort
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
        kill();
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
