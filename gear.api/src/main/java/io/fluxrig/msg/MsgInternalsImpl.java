package io.fluxrig.msg;

import io.fluxrig.msg.internal.MsgInternals;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The one {@link MsgInternals}: stateless, installed by {@link FluxMsg}'s static initialiser. */
final class MsgInternalsImpl extends MsgInternals {

    @Override
    public byte[] array(Bytes b) {
        return b.array();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> dataMap(String[] keys, Object[] values, int n) {
        Map.Entry<String, Object>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = new SimpleImmutableEntry<>(keys[i], values[i]);
        }
        return new ImmutableData.Map(entries);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> metaMap(String[] keys, String[] values, int n) {
        Map.Entry<String, String>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = new SimpleImmutableEntry<>(keys[i], values[i]);
        }
        return new CanonicalMap<>(entries);
    }

    @Override
    public List<Object> dataList(Object[] items) {
        return new ImmutableData.List(Arrays.asList(items));
    }

    @Override
    public List<Hop> path(Hop[] hops) {
        return new FluxMsg.HopPath(hops);
    }

    @Override
    public boolean isTraceparent(String s) {
        return Traceparent.isValid(s);
    }

    @Override
    public FluxMsg message(UUID id, long ts, UUID ref, String trace, String src,
            Map<String, String> meta, Map<String, Object> data, Bytes raw, List<Hop> path) {
        return new FluxMsg(id, ts, ref, trace, src, meta != null ? meta : FluxMsg.Builder.NO_META,
                data != null ? data : FluxMsg.Builder.NO_DATA, raw, path != null ? path : List.of());
    }
}
