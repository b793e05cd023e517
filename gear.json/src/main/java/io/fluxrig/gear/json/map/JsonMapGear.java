package io.fluxrig.gear.json.map;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.json.FluxMsgJson;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code json.map} gear: applies a {@link Mapping} to each message and emits a message derived
 * from it (fresh id, {@code ref} = input id, meta and raw kept) carrying the document as its data,
 * as JSON bytes in raw, or under a data key. A mapping error rejects the message naming the
 * target, the source and the reason.
 *
 * <p>Activation reads the mapping once: a shipped resource, or a small local file (at most
 * {@value MappingLoader#MAX_FILE_BYTES} bytes); a bad mapping fails activation with every problem
 * listed. Immutable afterwards, so concurrent {@link #onMessage} calls need no locking.
 */
@GearType(value = JsonMapGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "Declarative mapping of data/meta to a JSON document (ISO 8583 ⇄ canonical JSON shipped)")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + JsonMapGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + JsonMapGear.TYPE)
@Designate(ocd = MapConfig.class, factory = true)
public class JsonMapGear implements Gear {
    static final String TYPE = "json.map";

    private final Mapping mapping;
    private final String target;
    private final FluxMsgJson json = FluxMsgJson.create();

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute, or listing every problem of the
     *     mapping, which fails the activation (SCR logs it)
     */
    @Activate
    public JsonMapGear(MapConfig config) {
        String file = config.mapping_file() == null ? "" : config.mapping_file().trim();
        String name = config.mapping() == null ? "" : config.mapping().trim();
        MappingLoader loader = new MappingLoader();
        try {
            if (!file.isEmpty()) {
                this.mapping = loader.load(Path.of(file));
            } else if (!name.isEmpty()) {
                this.mapping = loader.builtIn(name);
            } else {
                throw new IllegalArgumentException(TYPE + " config: set mapping (" + MappingLoader.BUILT_IN + ") or mapping.file");
            }
        } catch (MappingException e) {
            throw new IllegalArgumentException(TYPE + " config " + (file.isEmpty() ? "mapping" : "mapping.file") + ": " + e.getMessage(), e);
        }
        this.target = config.target() == null || config.target().isBlank() ? "data" : config.target().trim();
    }

    /** @return the loaded mapping */
    Mapping mapping() {
        return mapping;
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        context.emit(PORT_OUT, map(msg));
    }

    FluxMsg map(FluxMsg msg) throws GearRejection {
        Map<String, Object> doc = mapping.apply(msg);
        FluxMsg.Builder out = msg.derive();
        try {
            return switch (target) {
                case "data" -> out.clearData().data(doc).build();
                case "raw" -> out.raw(json.writeValue(doc)).build();
                default -> out.data(target, doc).build();
            };
        } catch (IllegalArgumentException e) {
            throw new GearRejection("json.map " + mapping.name() + ": cannot store the document in " + target + ": " + e.getMessage(), e);
        }
    }
}
