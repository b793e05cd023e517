package io.fluxrig.iso8583;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dialect: how the MTI and bitmaps are written, every field's {@link FieldSpec}, and the
 * mandatory fields per MTI. Immutable and thread-safe; built by {@link Dialects} from a spec
 * table, which has already checked it (fields 2..128, or 2..192 with {@link #tertiary()}).
 */
public final class MessageSpec {
    /** Highest field number with primary and secondary bitmaps. */
    public static final int MAX_FIELD = 128;
    /** Highest field number with a tertiary bitmap. */
    public static final int MAX_FIELD_TERTIARY = 192;

    private final String name;
    private final String description;
    private final Encoding mti;
    private final Encoding bitmap;
    private final boolean tertiary;
    private final FieldSpec[] fields;
    private final Map<String, FieldSpec> aliases;
    private final Map<String, int[]> mandatory;

    /**
     * @param name the dialect name
     * @param description what it is
     * @param mti the MTI encoding (ASCII, EBCDIC or BCD)
     * @param bitmap the bitmap encoding (HEX or BINARY)
     * @param tertiary whether bit 65 announces a tertiary bitmap (fields 129..192)
     * @param fields the fields, each number at most once
     * @param mandatory the mandatory field numbers per MTI
     */
    public MessageSpec(String name, String description, Encoding mti, Encoding bitmap, boolean tertiary,
            List<FieldSpec> fields, Map<String, int[]> mandatory) {
        this.name = name;
        this.description = description;
        this.mti = mti;
        this.bitmap = bitmap;
        this.tertiary = tertiary;
        this.fields = new FieldSpec[MAX_FIELD_TERTIARY + 1];
        Map<String, FieldSpec> byAlias = new TreeMap<>();
        for (FieldSpec f : fields) {
            this.fields[f.number()] = f;
            if (f.alias() != null) {
                byAlias.put(f.alias(), f);
            }
        }
        this.aliases = Collections.unmodifiableMap(byAlias);
        Map<String, int[]> m = new TreeMap<>();
        mandatory.forEach((k, v) -> m.put(k, v.clone()));
        this.mandatory = Collections.unmodifiableMap(m);
    }

    /** @return the dialect name, e.g. {@code iso87ascii} */
    public String name() {
        return name;
    }

    /** @return what the dialect is */
    public String description() {
        return description;
    }

    /** @return the MTI encoding */
    public Encoding mtiEncoding() {
        return mti;
    }

    /** @return the bitmap encoding */
    public Encoding bitmapEncoding() {
        return bitmap;
    }

    /** @return whether bit 65 announces a tertiary bitmap */
    public boolean tertiary() {
        return tertiary;
    }

    /** @return the highest field number this dialect can carry */
    public int maxField() {
        return tertiary ? MAX_FIELD_TERTIARY : MAX_FIELD;
    }

    /**
     * @param number a field number
     * @return its spec, or null when the dialect does not define it
     */
    public FieldSpec field(int number) {
        return number >= 0 && number < fields.length ? fields[number] : null;
    }

    /**
     * @param alias an alias such as {@code pan}
     * @return the field, or null
     */
    public FieldSpec fieldByAlias(String alias) {
        return aliases.get(alias);
    }

    /** @return every defined field, by number */
    public List<FieldSpec> fields() {
        List<FieldSpec> out = new ArrayList<>();
        for (FieldSpec f : fields) {
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * @param mti a message type indicator
     * @return the mandatory field numbers for it, empty when the spec declares none
     */
    public int[] mandatory(String mti) {
        int[] m = mandatory.get(mti);
        return m == null ? new int[0] : m.clone();
    }

    /** @return the MTIs with mandatory fields declared */
    public java.util.Set<String> mandatoryMtis() {
        return mandatory.keySet();
    }

    @Override
    public String toString() {
        return "MessageSpec{" + name + "}";
    }
}
