package io.fluxrig.msg;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.SortedMap;

/**
 * Marker implementations for containers already normalised by {@link Values}: immutable, and (for
 * maps) iterating in canonical CBOR key order. Recognising them lets a derived message share them
 * without copying.
 */
final class ImmutableData {
    private ImmutableData() {
    }

    /**
     * An immutable map of normalised values in canonical key order; equal to any map with the
     * same entries.
     */
    static final class Map extends CanonicalMap<Object> {
        /**
         * @param sortedEntries see {@link CanonicalMap#CanonicalMap(java.util.Map.Entry[])};
         *     values normalised
         */
        Map(java.util.Map.Entry<String, Object>[] sortedEntries) {
            super(sortedEntries);
        }

        /** @param sorted a map sorted by {@link CanonicalKeys#ORDER} holding normalised values */
        Map(SortedMap<String, Object> sorted) {
            super(sorted);
        }
    }

    /** An immutable list of normalised values. */
    static final class List extends AbstractList<Object> implements RandomAccess {
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
