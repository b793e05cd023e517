package io.fluxrig.iso8583;

import io.fluxrig.msg.FluxMsg;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an ISO 8583 message sits in a fluxMsg. Data: {@value #DATA_MTI} and every field under its
 * number as text ({@code "2"}, {@code "4"}, ...) and, when the dialect gives one, under its alias
 * too ({@code pan}, {@code amount}); meta: {@value #META_DIALECT} and {@value #META_MTI}.
 * Numeric fields stay text so leading zeros survive; an amount is minor units as text, because
 * its exponent depends on the currency (DE 49), which the codec does not interpret.
 *
 * <p>Encoding reads the number key and falls back to the alias; when both are present they must
 * be equal (a gear that changed one and not the other gets a clear error instead of a silent
 * choice). Data keys that are neither numbers, aliases nor {@value #DATA_MTI} are ignored.
 */
public final class IsoFluxMapping {
    /** Data key of the MTI. */
    public static final String DATA_MTI = "mti";
    /** Data key a decoder also accepts the message bytes from when {@code raw} is empty. */
    public static final String DATA_BYTES = "bytes";
    /** Meta key: the dialect name. */
    public static final String META_DIALECT = "iso.dialect";
    /** Meta key: the MTI. */
    public static final String META_MTI = "iso.mti";

    private IsoFluxMapping() {
    }

    /**
     * Puts the message into a builder: replaces data with the fields, sets the meta keys.
     *
     * @param spec the dialect
     * @param msg the message
     * @param into the builder (e.g. {@code input.derive()}, which keeps meta such as a connection id)
     * @return the builder
     */
    public static FluxMsg.Builder toFlux(MessageSpec spec, IsoMessage msg, FluxMsg.Builder into) {
        // Straight into the builder: it collects and sorts once at build().
        into.clearData().data(DATA_MTI, msg.mti());
        for (int i = 0; i < msg.size(); i++) {
            int n = msg.numberAt(i);
            Object v = msg.valueAt(i);
            FieldSpec f = spec.field(n);
            boolean alias = f != null && f.alias() != null;
            if (alias && !(v instanceof String)) {
                v = FluxMsg.dataValue(v); // a TLV list: normalised once for both keys
            }
            into.data(Integer.toString(n), v);
            if (alias) {
                into.data(f.alias(), v);
            }
        }
        return into.meta(META_DIALECT, spec.name()).meta(META_MTI, msg.mti());
    }

    /**
     * @param spec the dialect
     * @param msg a message whose data holds the fields
     * @return the ISO message
     * @throws IsoException when the MTI is missing, a number names no field of the dialect, or a
     *     number and its alias disagree
     */
    public static IsoMessage fromFlux(MessageSpec spec, FluxMsg msg) throws IsoException {
        Object mti = msg.data().get(DATA_MTI);
        if (mti == null) {
            mti = msg.meta(META_MTI);
        }
        if (!(mti instanceof String m)) {
            throw new IsoException(IsoException.MTI, -1, "no text in data '" + DATA_MTI + "' or meta '" + META_MTI + "'");
        }
        Map<Integer, Object> fields = new TreeMap<>();
        for (Map.Entry<String, Object> e : msg.data().entrySet()) {
            String key = e.getKey();
            FieldSpec f = isNumber(key) ? spec.field(Integer.parseInt(key)) : spec.fieldByAlias(key);
            if (f == null) {
                if (isNumber(key)) {
                    throw new IsoException(Integer.parseInt(key), -1, "not a field of dialect " + spec.name());
                }
                continue;
            }
            Object old = fields.putIfAbsent(f.number(), e.getValue());
            if (old != null && !old.equals(e.getValue())) {
                throw new IsoException(f.number(), -1, "data '" + f.number() + "' and its alias '" + f.alias() + "' differ");
            }
        }
        return new IsoMessage(m, fields);
    }

    private static boolean isNumber(String key) {
        int n = key.length();
        if (n == 0 || n > 3) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
