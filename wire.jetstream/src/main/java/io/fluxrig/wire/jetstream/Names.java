package io.fluxrig.wire.jetstream;

import io.fluxrig.nats.trust.WireSubjects;
import java.util.regex.Pattern;

/**
 * Wire names, subjects, stream and durable names, and NATS wildcard matching. Stateless. The names
 * themselves are nats.trust's {@link WireSubjects}, which the Mixer also uses to narrow a rack's
 * NATS permissions to its wires.
 */
final class Names {
    /** Subject prefix of every wire: wire {@code orders} is subject {@code fluxrig.wire.orders}. */
    static final String SUBJECT_PREFIX = WireSubjects.SUBJECT_PREFIX;
    /** Suffix of a wire's dead-letter wire. */
    static final String DLQ_SUFFIX = WireSubjects.DLQ_SUFFIX;
    /** Prefix of the stream created for a wire no configuration names. */
    static final String DEFAULT_STREAM_PREFIX = WireSubjects.DEFAULT_STREAM_PREFIX;

    private static final Pattern WIRE_PATTERN = Pattern.compile("([A-Za-z0-9_-]+|\\*)(\\.([A-Za-z0-9_-]+|\\*))*(\\.>)?|>");
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Names() {
    }

    static String wire(String wire) {
        if (!WireSubjects.validWire(wire)) {
            throw new IllegalArgumentException("wire name '" + wire + "': " + WireSubjects.WIRE_RULE);
        }
        return wire;
    }

    static String wirePattern(String pattern) {
        if (pattern == null || !WIRE_PATTERN.matcher(pattern).matches()) {
            throw new IllegalArgumentException("wire pattern '" + pattern
                    + "': a wire name, '*' for one token, '>' last for the rest");
        }
        return pattern;
    }

    static String stream(String name) {
        if (name == null || !STREAM.matcher(name).matches()) {
            throw new IllegalArgumentException("stream name '" + name + "': use letters, digits, '-' and '_'");
        }
        return name;
    }

    static String subject(String wire) {
        return WireSubjects.subject(wire);
    }

    static String dlq(String wire) {
        return WireSubjects.dlq(wire);
    }

    /** The stream created for an unconfigured wire: dots become underscores. */
    static String defaultStream(String wire) {
        return WireSubjects.defaultStream(wire);
    }

    /** A durable consumer name: characters JetStream refuses ('.', '*', '>', blanks) become '_'. */
    static String durable(String consumer) {
        return WireSubjects.durable(consumer);
    }

    /** NATS subject matching on wire names: '*' is one token, a final '>' one or more. */
    static boolean matches(String pattern, String wire) {
        String[] p = pattern.split("\\.", -1);
        String[] w = wire.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return w.length > i;
            }
            if (i >= w.length || !(p[i].equals("*") || p[i].equals(w[i]))) {
                return false;
            }
        }
        return p.length == w.length;
    }
}
