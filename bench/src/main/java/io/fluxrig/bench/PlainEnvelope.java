package io.fluxrig.bench;

import io.fluxrig.cli.SampleEnvelope;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The baseline's model: the envelope as a Jackson user would write it for the same content, a
 * POJO with public fields and the schemaless {@code data} as a {@code Map<String, Object>}. Read
 * and written by a default {@code ObjectMapper} (JSON) or {@code ObjectMapper(new CBORFactory())}.
 *
 * <p>Jackson's defaults lose some of what fluxMsg keeps; the benchmark accepts that, as a Jackson
 * user would: a JSON decimal ({@code 125.50}) reads back as a {@code Double}, bytes inside
 * {@code data} read back as base64 text (JSON) and small integers as {@code Integer}.
 */
public final class PlainEnvelope {
    public UUID id;
    public UUID ref;
    public String trace;
    public String src;
    public long ts;
    public Map<String, String> meta;
    public Map<String, Object> data;
    public byte[] raw;
    public List<PlainHop> path;

    /** One hop, as {@link Hop}. */
    public static final class PlainHop {
        public String rack;
        public String gear;
        public long ts;

        public PlainHop() {
        }

        PlainHop(String rack, String gear, long ts) {
            this.rack = rack;
            this.gear = gear;
            this.ts = ts;
        }
    }

    /** @return the sample message's content in this model (the same values, key order as built) */
    public static PlainEnvelope cardAuthorisation() {
        FluxMsg m = SampleEnvelope.cardAuthorisation();
        PlainEnvelope e = new PlainEnvelope();
        e.id = m.id();
        e.ref = m.ref();
        e.trace = m.trace();
        e.src = m.src();
        e.ts = m.ts();
        e.meta = new LinkedHashMap<>(m.meta());
        e.data = SampleEnvelope.data();
        e.raw = m.raw().toByteArray();
        e.path = new ArrayList<>();
        for (Hop h : m.path()) {
            e.path.add(new PlainHop(h.rack(), h.gear(), h.ts()));
        }
        return e;
    }
}
