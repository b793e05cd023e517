package io.fluxrig.wire.jetstream;

import java.util.regex.Pattern;

/** Wire names, subjects, stream and durable names, and NATS wildcard matching. Stateless. */
final class Names {
    /** Subject prefix of every wire: wire {@code orders} is subject {@code fluxrig.wire.orders}. */
    static final String SUBJECT_PREFIX = "fluxrig.wire.";
    /** Suffix of a wire's dead-letter wire. */
    static final String DLQ_SUFFIX = ".dlq";
    /** Prefix of the stream created for a wire no configuration names. */
    static final String DEFAULT_STREAM_PREFIX = "WIRE_";

    private static final Pattern WIRE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern WIRE_PATTERN = Pattern.compile("([A-Za-z0-9_-]+|\\*)(\\.([A-Za-z0-9_-]+|\\*))*(\\.>)?|>");
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Names() {
    }

    static String wire(String wire) {
        if (wire == null || !WIRE.matcher(wire).matches()) {
            throw new IllegalArgumentException("wire name '" + wire
                    + "': use letters, digits, '-', '_' and single dots between them");
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
        return SUBJECT_PREFIX + wire;
    }

    static String dlq(String wire) {
        return wire + DLQ_SUFFIX;
    }

    /** The stream created for an unconfigured wire: dots become underscores. */
    static String defaultStream(String wire) {
        return DEFAULT_STREAM_PREFIX + wire.replace('.', '_');
    }

    /** A durable consumer name: characters JetStream refuses ('.', '*', '>', blanks) become '_'. */
    static String durable(String consumer) {
        if (consumer == null || consumer.isEmpty()) {
            throw new IllegalArgumentException("consumer name is empty");
        }
        StringBuilder b = new StringBuilder(consumer.length());
        for (int i = 0; i < consumer.length(); i++) {
            char c = consumer.charAt(i);
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '_');
        }
        return b.toString();
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
