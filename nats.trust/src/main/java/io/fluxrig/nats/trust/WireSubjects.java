package io.fluxrig.nats.trust;

import java.util.regex.Pattern;

/**
 * The NATS names of a wire, said once for the transport (wire.jetstream), the Mixer, which turns
 * the wires of a rack's patch into that rack's permissions, and the CLI's wire commands: wire
 * {@code W} (letters, digits, '-', '_' and single dots between them) is subject
 * {@code fluxrig.wire.W}, its dead-letter wire {@code W.dlq}, its default stream {@code WIRE_W}
 * (dots become underscores), a consumer name becomes a durable name with every character
 * JetStream refuses replaced by {@code _}, and a dead letter carries the {@code Fluxrig-Dlq-*}
 * headers named here. Stateless.
 */
public final class WireSubjects {
    /** Subject prefix of every wire. */
    public static final String SUBJECT_PREFIX = "fluxrig.wire.";
    /** Suffix of a wire's dead-letter wire. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** Prefix of the stream created for a wire no configuration names. */
    public static final String DEFAULT_STREAM_PREFIX = "WIRE_";
    /** The wire-name rule in words, for refusals. */
    public static final String WIRE_RULE = "use letters, digits, '-', '_' and single dots between them";
    /** JetStream's deduplication key header (within the stream's duplicate window). */
    public static final String MSG_ID = "Nats-Msg-Id";
    /** Prefix of every header a dead letter gets beside the original message's own. */
    public static final String DLQ_HEADER_PREFIX = "Fluxrig-Dlq-";
    /** Dead letters: why the message failed (the last nak reason, or the decoder's offset and reason). */
    public static final String DLQ_REASON = DLQ_HEADER_PREFIX + "Reason";
    /** Dead letters: how many times it was delivered. */
    public static final String DLQ_DELIVERIES = DLQ_HEADER_PREFIX + "Deliveries";
    /** Dead letters: the wire it came from (where a replay sends it back). */
    public static final String DLQ_WIRE = DLQ_HEADER_PREFIX + "Wire";
    /** Dead letters: the stream it came from. */
    public static final String DLQ_STREAM = DLQ_HEADER_PREFIX + "Stream";
    /** Dead letters: its sequence in that stream. */
    public static final String DLQ_SEQ = DLQ_HEADER_PREFIX + "Seq";
    /** Dead letters: the durable consumer that gave up on it. */
    public static final String DLQ_CONSUMER = DLQ_HEADER_PREFIX + "Consumer";

    private static final Pattern WIRE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private WireSubjects() {
    }

    /** jnats' default inbox prefix; every per-user prefix ({@link #inboxPrefix}) lies under it. */
    public static final String INBOX = "_INBOX";

    /**
     * A rack's own inbox prefix: its connection's replies (JetStream API answers, pull deliveries)
     * come to {@code _INBOX.<rack>.*}, and its grant lets it subscribe there only
     * ({@link WireGrant#permissions(String)}), so no rack can read what is delivered to another.
     *
     * @param user a rack's name (its user JWT's name): one subject token
     * @return {@code _INBOX.<user>} (jnats adds the final dot)
     * @throws IllegalArgumentException when the name is empty or not one subject token
     */
    public static String inboxPrefix(String user) {
        if (!isToken(user)) {
            throw new IllegalArgumentException("not usable in an inbox subject (one token: no '.', '*', '>', blanks): '" + user + "'");
        }
        return INBOX + "." + user;
    }

    /** @return whether the text is one non-empty subject token */
    public static boolean isToken(String s) {
        return s != null && !s.isEmpty() && s.chars().noneMatch(c -> c == '.' || c == '*' || c == '>' || Character.isWhitespace(c) || c < 0x20);
    }

    /** @return the subject of a wire */
    public static String subject(String wire) {
        return SUBJECT_PREFIX + wire;
    }

    /** @param wire a proposed wire name (may be null) @return whether it follows {@link #WIRE_RULE} */
    public static boolean validWire(String wire) {
        return wire != null && WIRE.matcher(wire).matches();
    }

    /** @param subject a NATS subject @return the wire of a subject under {@value #SUBJECT_PREFIX}, or null */
    public static String wireOf(String subject) {
        return subject.startsWith(SUBJECT_PREFIX) && subject.length() > SUBJECT_PREFIX.length()
                ? subject.substring(SUBJECT_PREFIX.length()) : null;
    }

    /** @return the dead-letter wire of a wire */
    public static String dlq(String wire) {
        return wire + DLQ_SUFFIX;
    }

    /** @return the stream made for a wire no stream configuration holds */
    public static String defaultStream(String wire) {
        return DEFAULT_STREAM_PREFIX + wire.replace('.', '_');
    }

    /**
     * @param consumer a consumer name (a rack's is {@code <rack>-<gear instance>-<wire>})
     * @return the durable name: characters JetStream refuses ('.', '*', '>', blanks) become '_'
     */
    public static String durable(String consumer) {
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

    /**
     * @param owner the rack's name, or the consumer group its patch names ({@code group:}): racks of one
     *     group use the same durable and so share its messages (competing consumers)
     * @return the durable name a rack's subscription {@code wire:W -> gear.port} uses
     */
    public static String rackDurable(String owner, String gear, String wire) {
        return durable(owner + "-" + gear + "-" + wire);
    }
}
