package io.fluxrig.iso8583;

import io.fluxrig.msg.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random valid messages for a dialect, reproducible from a seed: a random subset of the defined
 * fields (with and without a secondary bitmap), every length from 0 to the maximum, and values of
 * the declared type. {@code printable} keeps text in 0x20..0x7E (what a peer's ASCII text
 * packagers are sure to carry); otherwise any byte value 0..255 appears in ASCII text fields.
 */
final class RandomIso {
    private static final String[] TAGS = {"5A", "57", "82", "95", "9A", "9C", "5F2A", "5F34", "9F02", "9F10", "9F1A",
        "9F26", "9F27", "9F36", "9F37", "DF8101", "9F6E", "BF0C"};

    private final Random random;
    private final boolean printable;

    RandomIso(long seed, boolean printable) {
        this.random = new Random(seed);
        this.printable = printable;
    }

    IsoMessage message(MessageSpec spec) {
        List<FieldSpec> all = spec.fields();
        boolean secondary = random.nextInt(3) == 0;
        int count = 1 + random.nextInt(12);
        Map<Integer, Object> fields = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            FieldSpec f = all.get(random.nextInt(all.size()));
            if (f.number() > 64 && !secondary) {
                continue;
            }
            fields.put(f.number(), value(f));
        }
        if (fields.isEmpty()) {
            fields.put(11, value(spec.field(11)));
        }
        String mti = String.format("%04d", random.nextInt(10000));
        return new IsoMessage(mti, fields);
    }

    Object value(FieldSpec f) {
        int len = f.isVariable() ? length(f.length()) : f.length();
        return switch (f.type()) {
            case N -> digits(len);
            case Z -> track(len);
            case XN -> (random.nextBoolean() ? "C" : "D") + digits(len - 1);
            case AN, ANS -> text(len);
            case B -> f.tlv() ? tlv(len) : Bytes.of(bytes(len));
        };
    }

    /** Lengths biased to both ends of the range as well as the middle. */
    private int length(int max) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> max;
            default -> random.nextInt(Math.min(max, 60) + 1);
        };
    }

    String digits(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(c);
    }

    private String track(int n) {
        char[] c = digits(n).toCharArray();
        if (n > 2) {
            c[1 + random.nextInt(n - 2)] = '=';
        }
        return new String(c);
    }

    private String text(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) (printable ? 0x20 + random.nextInt(0x5F) : random.nextInt(256));
        }
        return new String(c);
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A TLV list whose encoding fits in {@code max} bytes, sometimes with a long length form. */
    private List<Map<String, Object>> tlv(int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        int used = 0;
        while (true) {
            String tag = TAGS[random.nextInt(TAGS.length)];
            int valueLen = random.nextInt(random.nextInt(8) == 0 ? 200 : 12);
            boolean longForm = random.nextInt(6) == 0;
            int lengthBytes = valueLen >= 0x80 ? 2 : longForm ? 2 : 1;
            int size = tag.length() / 2 + lengthBytes + valueLen;
            if (used + size > max || out.size() > 12) {
                return out;
            }
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("tag", tag);
            obj.put("value", Bytes.of(bytes(valueLen)));
            if (longForm && valueLen < 0x80) {
                obj.put("length_bytes", 2L);
            }
            out.add(obj);
            used += size;
        }
    }

    Random random() {
        return random;
    }
}
