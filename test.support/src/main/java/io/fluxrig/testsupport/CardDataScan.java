package io.fluxrig.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Searches texts (logs, pages, metrics, spans, command output) for card data a test planted, in
 * clear and in the obvious variants, and says where each hit is, so that a failure names the leak.
 *
 * <p>What counts as a hit, per planted value:
 * <ul>
 * <li>a card number ({@link #pan}): any 11 consecutive digits of it, optionally with one space or
 * dash between digits (first 6 and last 4 together are 10 digits, the most that may be shown), and
 * the whole number as hex of its ASCII bytes, upper or lower case;</li>
 * <li>track 2 ({@link #track2}, {@code PAN=DATA} or {@code PANDDATA}): its card number as above and
 * the data after the separator (expiry, service code, discretionary data);</li>
 * <li>a PIN block ({@link #pinBlock}): its hex, any case;</li>
 * <li>a card verification value ({@link #cvv}): the value right after a CVV-like key ({@code cvv},
 * {@code cvv2}, {@code cvc}, {@code cvc2}, {@code cid}, then {@code :} or {@code =}, quotes and
 * spaces allowed), since three digits alone occur everywhere;</li>
 * <li>any other secret ({@link #secret}): the text itself.</li>
 * </ul>
 *
 * <p>Not thread-safe: one test thread plants, scans and reads the hits.
 */
public final class CardDataScan {
    /** The shortest run of a card number's digits that is a leak: one more than first 6 + last 4. */
    static final int PAN_WINDOW = 11;

    /** One hit: what was found (the planted value's name and variant), in which source, where, and the text around it. */
    public record Hit(String what, String source, int line, int column, String excerpt) {
        @Override
        public String toString() {
            return what + " in " + source + " at line " + line + ", column " + column + ": ..." + excerpt + "...";
        }
    }

    private final Map<String, Pattern> needles = new LinkedHashMap<>();
    private final List<Hit> hits = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();

    /**
     * @param name what the value is, for the report (e.g. "PAN of the oversized amount")
     * @param pan a card number, 13 to 19 digits
     * @return this
     */
    public CardDataScan pan(String name, String pan) {
        if (!pan.matches("\\d{13,19}")) {
            throw new IllegalArgumentException(name + ": a card number has 13 to 19 digits: " + pan.length() + " characters");
        }
        for (int i = 0; i + PAN_WINDOW <= pan.length(); i++) {
            String window = pan.substring(i, i + PAN_WINDOW);
            StringBuilder re = new StringBuilder();
            for (int k = 0; k < window.length(); k++) {
                re.append(k == 0 ? "" : "[ -]?").append(window.charAt(k));
            }
            needles.putIfAbsent(name + " (digits " + (i + 1) + ".." + (i + PAN_WINDOW) + " of " + pan.length() + ")",
                    Pattern.compile(re.toString()));
        }
        needles.put(name + " (as ASCII hex)", Pattern.compile(Pattern.quote(HexFormat.of().formatHex(pan.getBytes(StandardCharsets.US_ASCII))),
                Pattern.CASE_INSENSITIVE));
        return this;
    }

    /**
     * @param name what the value is
     * @param track2 track 2 data, {@code PAN=DATA} or {@code PANDDATA}
     * @return this
     */
    public CardDataScan track2(String name, String track2) {
        Matcher m = Pattern.compile("(\\d{13,19})[=D](\\d{7,})").matcher(track2);
        if (!m.matches()) {
            throw new IllegalArgumentException(name + ": track 2 is PAN, '=' or 'D', then at least 7 digits");
        }
        pan(name + " card number", m.group(1));
        needles.put(name + " data after the separator", Pattern.compile(Pattern.quote(m.group(2))));
        return this;
    }

    /**
     * @param name what the value is
     * @param hex a PIN block as 16 hex digits
     * @return this
     */
    public CardDataScan pinBlock(String name, String hex) {
        if (!hex.matches("[0-9A-Fa-f]{16}")) {
            throw new IllegalArgumentException(name + ": a PIN block is 16 hex digits");
        }
        needles.put(name, Pattern.compile(Pattern.quote(hex), Pattern.CASE_INSENSITIVE));
        return this;
    }

    /**
     * @param name what the value is
     * @param cvv a card verification value, 3 or 4 digits
     * @return this
     */
    public CardDataScan cvv(String name, String cvv) {
        if (!cvv.matches("\\d{3,4}")) {
            throw new IllegalArgumentException(name + ": a CVV is 3 or 4 digits");
        }
        needles.put(name, Pattern.compile("(?i)\\b(cvv2?|cvc2?|cid)[\"']?\\s*[:=]\\s*[\"']?" + cvv + "(?![0-9])"));
        return this;
    }

    /**
     * @param name what the value is
     * @param text any other value that must not appear, at least 8 characters
     * @return this
     */
    public CardDataScan secret(String name, String text) {
        if (text.length() < 8) {
            throw new IllegalArgumentException(name + ": at least 8 characters, or it is found by chance");
        }
        needles.put(name, Pattern.compile(Pattern.quote(text)));
        return this;
    }

    /**
     * Searches one text; hits accumulate.
     *
     * @param source where the text came from (a file, a URL, a span), named in hits
     * @param text the text
     * @return this
     */
    public CardDataScan scan(String source, String text) {
        sources.add(source);
        for (Map.Entry<String, Pattern> n : needles.entrySet()) {
            Matcher m = n.getValue().matcher(text);
            while (m.find()) {
                hits.add(hit(n.getKey(), source, text, m.start(), m.end()));
            }
        }
        return this;
    }

    /**
     * @param source where the bytes came from
     * @param bytes any bytes (binary parts are searched as ISO-8859-1 text, so ASCII digits in them are found)
     * @return this
     */
    public CardDataScan scan(String source, byte[] bytes) {
        return scan(source, new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** @return every hit so far, in the order found */
    public List<Hit> hits() {
        return List.copyOf(hits);
    }

    /** @return the sources searched so far, in order */
    public List<String> sources() {
        return List.copyOf(sources);
    }

    /** @return the hits, one per line, for an assertion message */
    public String report() {
        StringBuilder b = new StringBuilder(hits.size() + " hit(s) of card data in " + sources.size() + " source(s):");
        hits.forEach(h -> b.append("\n  ").append(h));
        return b.toString();
    }

    private static Hit hit(String what, String source, String text, int start, int end) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < start; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String around = text.substring(Math.max(0, start - 40), Math.min(text.length(), end + 40))
                .replace('\n', ' ').replace('\r', ' ').replaceAll("\\p{Cntrl}", ".");
        return new Hit(what, source, line, start - lineStart + 1, around);
    }
}
