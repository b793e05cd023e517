package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoFluxMapping;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.IsoValidator;
import io.fluxrig.iso8583.MessageSpec;
import io.fluxrig.iso8583.SpecException;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.opentelemetry.api.metrics.MeterProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code iso8583.codec} gear. Decode: takes the message bytes from {@code raw} (or data
 * {@value IsoFluxMapping#DATA_BYTES}) and emits a message derived from the input (so meta such as
 * a connection id is kept) whose data is the fields and whose raw is the decoded bytes. Encode:
 * builds the bytes from data and emits a derived message with them in raw. Any failure rejects
 * the message with a reason naming field, offset and cause, and is counted by kind and field
 * ({@link CodecMetrics}, reported while the rack's MeterProvider is bound). Immutable after
 * activation apart from those counters, so concurrent {@link #onMessage} calls need no locking.
 */
@GearType(value = CodecGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "ISO 8583 decode (bytes to fields) or encode (fields to bytes) with a dialect")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + CodecGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + CodecGear.TYPE)
@Designate(ocd = CodecConfig.class, factory = true)
public class CodecGear implements Gear {
    /** The gear type. The rack constrains instance names, not type names, so the dotted name is kept. */
    static final String TYPE = "iso8583.codec";

    private final IsoCodec codec;
    private final boolean decode;
    private final boolean validate;
    private final boolean luhn;
    private final CodecMetrics errors;
    /** The MeterProvider {@link #errors} reports on; guarded by this. */
    private MeterProvider meters;

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute (or listing every spec problem), which
     *     fails the activation and SCR logs it
     */
    @Activate
    public CodecGear(CodecConfig config) {
        this.codec = IsoCodec.of(spec(config));
        this.decode = switch (config.direction()) {
            case "decode" -> true;
            case "encode" -> false;
            default -> throw new IllegalArgumentException("iso8583.codec config direction: '" + config.direction()
                    + "' is not decode or encode");
        };
        this.validate = config.validate();
        this.luhn = config.luhn();
        this.errors = new CodecMetrics(decode ? "decode" : "encode");
    }

    /** The rack's MeterProvider came (or a replacement, bound before the old one goes). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMeters")
    synchronized void bindMeters(MeterProvider provider) {
        meters = provider;
        errors.bind(provider);
    }

    synchronized void unbindMeters(MeterProvider provider) {
        if (meters == provider) {
            meters = null;
            errors.bind(null);
        }
    }

    private static MessageSpec spec(CodecConfig config) {
        String file = config.spec_file() == null ? "" : config.spec_file().trim();
        if (file.isEmpty()) {
            return Dialects.builtIn(config.dialect());
        }
        try {
            return Dialects.load(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("iso8583.codec config spec.file: cannot read " + file + ": " + e, e);
        } catch (SpecException e) {
            throw new IllegalArgumentException("iso8583.codec config spec.file: " + e.getMessage(), e);
        }
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        FluxMsg out;
        try {
            out = decode ? decode(msg) : encode(msg);
        } catch (GearRejection r) {
            IsoException iso = r.getCause() instanceof IsoException e ? e : null;
            errors.count(context.instance(), iso != null ? "codec" : r.getMessage().startsWith("iso8583 validation") ? "validation"
                    : "no_bytes", iso);
            throw r;
        }
        context.emit(PORT_OUT, out);
    }

    FluxMsg decode(FluxMsg msg) throws GearRejection {
        Bytes bytes = msg.raw() != null ? msg.raw() : msg.data().get(IsoFluxMapping.DATA_BYTES) instanceof Bytes b ? b : null;
        if (bytes == null) {
            throw new GearRejection("iso8583 decode: no bytes in raw or data '" + IsoFluxMapping.DATA_BYTES + "'");
        }
        IsoMessage iso;
        try {
            iso = codec.decode(bytes.toByteArray());
        } catch (IsoException e) {
            throw new GearRejection("iso8583 decode " + codec.spec().name() + ": " + e.getMessage(), e);
        }
        check(iso);
        return IsoFluxMapping.toFlux(codec.spec(), iso, msg.derive()).raw(bytes).build();
    }

    FluxMsg encode(FluxMsg msg) throws GearRejection {
        try {
            IsoMessage iso = IsoFluxMapping.fromFlux(codec.spec(), msg);
            check(iso);
            byte[] bytes = codec.encode(iso);
            return msg.derive().raw(bytes).meta(IsoFluxMapping.META_DIALECT, codec.spec().name())
                    .meta(IsoFluxMapping.META_MTI, iso.mti()).build();
        } catch (IsoException e) {
            throw new GearRejection("iso8583 encode " + codec.spec().name() + ": " + e.getMessage(), e);
        }
    }

    private void check(IsoMessage iso) throws GearRejection {
        if (!validate) {
            return;
        }
        List<String> problems = IsoValidator.validate(codec.spec(), iso, luhn);
        if (!problems.isEmpty()) {
            throw new GearRejection("iso8583 validation " + codec.spec().name() + " " + iso.mti() + ": " + String.join("; ", problems));
        }
    }
}
