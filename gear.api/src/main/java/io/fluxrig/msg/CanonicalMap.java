package io.fluxrig.msg;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An immutable map with text keys held as an array of immutable entries in canonical CBOR key
 * order ({@link CanonicalKeys}). How fluxMsg holds {@code meta} and (through
 * {@link ImmutableData.Map}) {@code data}.
 *
 * <p>Why an array and not a {@code TreeMap}: the decoder reads entries already in canonical
 * order and can hand them over without a single comparison, and the encoder iterates the entries
 * without the per-entry wrapper {@code Collections.unmodifiableMap} allocates. Lookups are a
 * binary search with the same comparator, so {@link #get} costs what {@code TreeMap.get} does.
 *
 * @param <V> the value type
 */
class CanonicalMap<V> extends AbstractMap<String, V> {
    private static final Entry<?, ?>[] NONE = new Entry<?, ?>[0];

    private final Entry<String, V>[] entries;
    private Set<Entry<String, V>> entrySet;

    /**
     * Trusts its argument: the caller hands over an array nobody else holds, of
     * {@link AbstractMap.SimpleImmutableEntry} (or other immutable) entries whose keys are
     * strictly ascending in canonical order.
     */
    CanonicalMap(Entry<String, V>[] sortedEntries) {
        this.entries = sortedEntries;
    }

    /** Copies a map sorted by {@link CanonicalKeys#ORDER} (a fluxMsg builder's draft). */
    @SuppressWarnings("unchecked")
    CanonicalMap(SortedMap<String, ? extends V> sorted) {
        assert sorted.comparator() == CanonicalKeys.ORDER;
        Entry<String, V>[] copy =
                (Entry<String, V>[]) (sorted.isEmpty() ? NONE : new Entry<?, ?>[sorted.size()]);
        int i = 0;
        for (Entry<String, ? extends V> e : sorted.entrySet()) {
            copy[i++] = new SimpleImmutableEntry<>(e.getKey(), e.getValue());
        }
        this.entries = copy;
    }

    private int indexOf(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        int lo = 0;
        int hi = entries.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = CanonicalKeys.ORDER.compare(entries[mid].getKey(), k);
            if (cmp < 0) {
                lo = mid + 1;
            } else if (cmp > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : entries[i].getValue();
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return entries.length;
    }

    @Override
    public boolean isEmpty() {
        return entries.length == 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super V> action) {
        Objects.requireNonNull(action);
        for (Entry<String, V> e : entries) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    // Every mutator refuses, whether or not it would change anything (AbstractMap's remove and
    // clear only refuse when there is something to remove), as Collections.unmodifiableMap did.

    @Override
    public V put(String key, V value) {
        throw immutable();
    }

    @Override
    public V remove(Object key) {
        throw immutable();
    }

    @Override
    public void putAll(Map<? extends String, ? extends V> m) {
        throw immutable();
    }

    @Override
    public void clear() {
        throw immutable();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super V, ? extends V> function) {
        throw immutable();
    }

    @Override
    public V putIfAbsent(String key, V value) {
        throw immutable();
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw immutable();
    }

    @Override
    public boolean replace(String key, V oldValue, V newValue) {
        throw immutable();
    }

    @Override
    public V replace(String key, V value) {
        throw immutable();
    }

    @Override
    public V computeIfAbsent(String key, Function<? super String, ? extends V> mappingFunction) {
        throw immutable();
    }

    @Override
    public V computeIfPresent(String key,
            BiFunction<? super String, ? super V, ? extends V> remappingFunction) {
        throw immutable();
    }

    @Override
    public V compute(String key, BiFunction<? super String, ? super V, ? extends V> remappingFunction) {
        throw immutable();
    }

    @Override
    public V merge(String key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        throw immutable();
    }

    private static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("fluxMsg maps are immutable");
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        Set<Entry<String, V>> s = entrySet;
        if (s == null) {
            // Racy but benign: every thread builds an equivalent view over the same array.
            s = new EntrySet();
            entrySet = s;
        }
        return s;
    }

    private final class EntrySet extends AbstractSet<Entry<String, V>> {
        @Override
        public Iterator<Entry<String, V>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < entries.length;
                }

                @Override
                public Entry<String, V> next() {
                    if (next >= entries.length) {
                        throw new NoSuchElementException();
                    }
                    return entries[next++];
                }
            };
        }

        @Override
        public int size() {
            return entries.length;
        }
    }
}
