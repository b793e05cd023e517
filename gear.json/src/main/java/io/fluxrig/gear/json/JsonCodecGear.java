package io.fluxrig.gear.json;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.msg.json.JsonEnvelopeException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code json.codec} gear. Decode: JSON bytes (from {@code raw} or a data key) become data,
 * types preserved as described in {@link FluxMsgJson#readValue}; encode: data (all of it, or one key's value)
 * becomes JSON bytes in {@code raw} (or JSON text under a data key). The output is derived from the
 * input (fresh id, {@code ref} = input id, meta kept). Malformed JSON rejects the message with the
 * JSON Pointer, offset and reason. Immutable after activation: concurrent {@link #onMessage} calls
 * need no locking.
 */
@GearType(value = JsonCodecGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "JSON bytes to data (decode) or data to JSON bytes (encode), types preserved")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + JsonCodecGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + JsonCodecGear.TYPE)
@Designate(ocd = CodecConfig.class, factory = true)
public class JsonCodecGear implements Gear {
    static final String TYPE = "json.codec";
    static final String RAW = "raw";
    static final String DATA = "data";

    private final FluxMsgJson json = FluxMsgJson.create();
    private final boolean decode;
    private final String source;
    private final String target;

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute, which fails the activation (SCR logs it)
     */
    @Activate
    public JsonCodecGear(CodecConfig config) {
        this.decode = switch (config.direction()) {
            case "decode" -> true;
            case "encode" -> false;
            default -> throw new IllegalArgumentException(TYPE + " config direction: '" + config.direction() + "' is not decode or encode");
        };
        this.source = orDefault(config.source(), decode ? RAW : DATA);
        this.target = orDefault(config.target(), decode ? DATA : RAW);
        if (decode && DATA.equals(source) || !decode && (DATA.equals(target) || RAW.equals(source))) {
            throw new IllegalArgumentException(TYPE + " config: " + config.direction() + " cannot read '" + source
                    + "' and write '" + target + "'");
        }
    }

    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value.trim();
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        context.emit(PORT_OUT, decode ? decode(msg) : encode(msg));
    }

    FluxMsg decode(FluxMsg msg) throws GearRejection {
        byte[] bytes = input(msg);
        Object value;
        try {
            value = json.readValue(bytes);
        } catch (JsonEnvelopeException e) {
            throw new GearRejection("json decode of " + source + ": malformed JSON at " + e.getMessage(), e);
        }
        FluxMsg.Builder out = msg.derive();
        if (DATA.equals(target)) {
            if (!(value instanceof Map<?, ?> m)) {
                throw new GearRejection("json decode of " + source + ": the document is "
                        + (value == null ? "null" : value.getClass().getSimpleName()) + ", not an object, so it cannot become the data"
                        + " (set target to a data key)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) m;
            return out.clearData().data(data).build();
        }
        return out.data(target, value).build();
    }

    private byte[] input(FluxMsg msg) throws GearRejection {
        if (RAW.equals(source)) {
            if (msg.raw() == null) {
                throw new GearRejection("json decode: the message has no raw bytes");
            }
            return msg.raw().toByteArray();
        }
        Object v = msg.get(source);
        if (v instanceof Bytes b) {
            return b.toByteArray();
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new GearRejection("json decode: data '" + source + "' is "
                + (v == null ? "missing" : "a " + v.getClass().getSimpleName() + ", not bytes or text"));
    }

    FluxMsg encode(FluxMsg msg) throws GearRejection {
        Object value;
        if (DATA.equals(source)) {
            value = msg.data();
        } else {
            value = msg.get(source);
            if (value == null && !msg.data().containsKey(source)) {
                throw new GearRejection("json encode: data '" + source + "' is missing");
            }
        }
        byte[] bytes = json.writeValue(value);
        FluxMsg.Builder out = msg.derive();
        return RAW.equals(target) ? out.raw(bytes).build()
                : out.data(target, new String(bytes, StandardCharsets.UTF_8)).build();
    }
}
