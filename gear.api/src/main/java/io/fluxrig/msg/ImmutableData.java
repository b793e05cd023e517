package io.fluxrig.msg;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Marker implementations for containers already normalised by {@link Values}: immutable, and (for
 * maps) iterating in canonical CBOR key order. Recognising them lets a derived message share them
 * without copying.
 */
final class ImmutableData {
    private ImmutableData() {
    }

    /** An immutable map in canonical key order; equal to any map with the same entries. */
    static final class Map extends AbstractMap<String, Object> {
        private final NavigableMap<String, Object> sorted;
        private final Set<Entry<String, Object>> entries;

        Map(NavigableMap<String, Object> sorted) {
            this.sorted = sorted;
            this.entries = Collections.unmodifiableMap(sorted).entrySet();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return entries;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String ? sorted.get(key) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && sorted.containsKey(key);
        }

        @Override
        public int size() {
            return sorted.size();
        }
    }

    /** An immutable list of normalised values. */
    static final class List extends AbstractList<Object> {
        private final java.util.List<Object> items;

        List(java.util.List<Object> items) {
            this.items = items;
        }

        @Override
        public Object get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }
    }
}
