package io.fluxrig.gear.json;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one {@code json.codec} gear instance (factory PID {@code fluxrig.gear.json.codec}). */
@ObjectClassDefinition(
        name = "fluxrig gear: json.codec",
        description = "JSON bytes to fluxMsg data (decode) or data to JSON bytes (encode), types preserved.")
public @interface CodecConfig {

    /** @return decode or encode */
    @AttributeDefinition(name = "Direction", description = "decode: JSON bytes to data; encode: data to JSON bytes.",
            options = {@org.osgi.service.metatype.annotations.Option(label = "decode", value = "decode"),
                       @org.osgi.service.metatype.annotations.Option(label = "encode", value = "encode")})
    String direction() default "decode";

    /** @return where the input is; "" for the direction's default */
    @AttributeDefinition(name = "Source", required = false,
            description = "decode: 'raw' or a data key holding bytes or text (default raw). "
                    + "encode: 'data' (the whole data) or a data key (default data).")
    String source() default "";

    /** @return where the output goes; "" for the direction's default */
    @AttributeDefinition(name = "Target", required = false,
            description = "decode: 'data' (a JSON object replaces the data) or a data key (the value is put there, other data kept; default data). "
                    + "encode: 'raw' or a data key (JSON text, other data kept; default raw).")
    String target() default "";
}
