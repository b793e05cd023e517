package io.fluxrig.msg;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * The order of text map keys in deterministic CBOR (RFC 8949 §4.2.1): bytewise on the encoded
 * key, which for text keys means shorter UTF-8 length first, then unsigned bytewise UTF-8.
 * fluxMsg maps iterate in this order, so encoding never sorts.
 */
final class CanonicalKeys implements Comparator<String> {
    static final CanonicalKeys ORDER = new CanonicalKeys();

    private CanonicalKeys() {
    }

    @Override
    public int compare(String a, String b) {
        // Fast paths without encoding (UTF-8 length >= char length, equal only for ASCII): keys
        // of different lengths need only the shorter one checked for ASCII; keys of one length
        // are compared and checked in the same pass. CanonicalMap.get and the builders' sorted
        // maps call this for every key they look up or insert.
        int la = a.length();
        int lb = b.length();
        if (la < lb && isAscii(a)) {
            return -1; // utf8(a) == la < lb <= utf8(b)
        }
        if (lb < la && isAscii(b)) {
            return 1;
        }
        if (la == lb) {
            int first = 0;
            boolean ascii = true;
            for (int i = 0; i < la; i++) {
                char x = a.charAt(i);
                char y = b.charAt(i);
                if ((x | y) >= 0x80) {
                    ascii = false;
                    break;
                }
                if (first == 0 && x != y) {
                    first = x - y;
                }
            }
            if (ascii) {
                return first;
            }
        }
        if (a.equals(b)) {
            return 0;
        }
        byte[] ea = a.getBytes(StandardCharsets.UTF_8);
        byte[] eb = b.getBytes(StandardCharsets.UTF_8);
        int byLength = Integer.compare(ea.length, eb.length);
        return byLength != 0 ? byLength : java.util.Arrays.compareUnsigned(ea, eb);
    }

    /**
     * The entries of a map as a fresh array of immutable entries sorted in this order (the form
     * {@link CanonicalMap} takes). One sort of the whole set instead of one ordered insert per key;
     * when every key is ASCII (the usual case) the sort compares length then chars and never
     * re-scans a key for non-ASCII characters.
     *
     * @param map a map with distinct keys (any map: keys are unique by definition)
     * @return entries in canonical order
     */
    @SuppressWarnings("unchecked")
    static <V> Map.Entry<String, V>[] sortedEntries(Map<String, ? extends V> map) {
        Map.Entry<String, V>[] out = (Map.Entry<String, V>[]) new Map.Entry<?, ?>[map.size()];
        int i = 0;
        for (Map.Entry<String, ? extends V> e : map.entrySet()) {
            out[i++] = new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
        }
        sort(out);
        return out;
    }

    /**
     * Sorts entries with distinct keys in this order, in place: one pass to see whether every key
     * is ASCII, then a sort comparing length then chars (or the full comparison otherwise).
     *
     * @param entries the entries
     */
    static void sort(Map.Entry<String, ?>[] entries) {
        int n = entries.length;
        if (n < 2) {
            return;
        }
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = isAscii(entries[i].getKey());
        }
        Comparator<Map.Entry<String, ?>> order = ascii ? ASCII_ENTRY_ORDER : ENTRY_ORDER;
        // Often already in order (a map copied from another canonical one, or small maps whose
        // source iterates in this order): one linear check then, and no sort.
        int i = 1;
        while (i < n && order.compare(entries[i - 1], entries[i]) < 0) {
            i++;
        }
        if (i == n) {
            return;
        }
        if (n <= 8) {
            for (; i < n; i++) { // insertion sort from the first entry out of order
                Map.Entry<String, ?> e = entries[i];
                int j = i - 1;
                while (j >= 0 && order.compare(entries[j], e) > 0) {
                    entries[j + 1] = entries[j];
                    j--;
                }
                entries[j + 1] = e;
            }
            return;
        }
        Arrays.sort(entries, order);
    }

    private static final Comparator<Map.Entry<String, ?>> ENTRY_ORDER = (a, b) -> ORDER.compare(a.getKey(), b.getKey());

    private static final Comparator<Map.Entry<String, ?>> ASCII_ENTRY_ORDER = (a, b) -> {
        String x = a.getKey();
        String y = b.getKey();
        int byLength = Integer.compare(x.length(), y.length());
        return byLength != 0 ? byLength : x.compareTo(y);
    };

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
