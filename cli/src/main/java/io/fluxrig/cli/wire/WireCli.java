package io.fluxrig.cli.wire;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the wire commands share: option parsing, the connection (one short-lived client, no
 * reconnects: an operator command fails fast and says why) and the wire naming of
 * {@code wire.jetstream} (subject {@code fluxrig.wire.<wire>}, dead letters on {@code <wire>.dlq},
 * the {@code Fluxrig-Dlq-*} headers). Stateless.
 */
final class WireCli {
    static final String SUBJECT_PREFIX = "fluxrig.wire.";
    static final String DLQ_SUFFIX = ".dlq";
    static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";
    static final String MSG_ID = "Nats-Msg-Id";
    static final String DLQ_HEADER_PREFIX = "Fluxrig-Dlq-";
    static final String DLQ_WIRE = "Fluxrig-Dlq-Wire";
    static final String DLQ_REASON = "Fluxrig-Dlq-Reason";

    private WireCli() {
    }

    /** Parsed command line: positional words and {@code --name value} / {@code --flag} options. */
    record Parsed(List<String> words, Map<String, String> options, String error) {
        String option(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }
    }

    /**
     * @param args the arguments
     * @param valued options that take a value
     * @param flags options without a value
     * @return the parsed arguments, or one with {@code error} set
     */
    static Parsed parse(List<String> args, Set<String> valued, Set<String> flags) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (valued.contains(a)) {
                if (i + 1 >= args.size()) {
                    return new Parsed(words, options, a + " needs a value");
                }
                options.put(a, args.get(++i));
            } else if (flags.contains(a)) {
                options.put(a, "");
            } else if (a.startsWith("-")) {
                return new Parsed(words, options, "unknown option " + a);
            } else {
                words.add(a);
            }
        }
        return new Parsed(words, options, null);
    }

    static Connection connect(String server) throws IOException {
        Options o = Options.builder().server(server).connectionName("fluxrig-cli").maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(3)).noReconnect()
                .errorListener(new io.nats.client.ErrorListener() { }).build(); // errors surface as exceptions
        try {
            return Nats.connect(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + server);
        } catch (IOException e) {
            throw new IOException("cannot reach NATS at " + server + " (" + e.getMessage() + ")", e);
        }
    }

    static String subject(String wire) {
        return SUBJECT_PREFIX + wire;
    }

    /** @return the wire of a subject under {@code fluxrig.wire.}, or null */
    static String wireOf(String subject) {
        return subject.startsWith(SUBJECT_PREFIX) && subject.length() > SUBJECT_PREFIX.length()
                ? subject.substring(SUBJECT_PREFIX.length()) : null;
    }

    /** @return the stream holding the wire, or null when no stream does */
    static String streamOf(JetStreamManagement jsm, String wire) throws IOException, JetStreamApiException {
        List<String> names = jsm.getStreamNames(subject(wire));
        return names.isEmpty() ? null : names.get(0);
    }

    static boolean validWire(String wire) {
        return wire.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    }
}
