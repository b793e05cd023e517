package io.fluxrig.iso8583.gear;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one {@code iso8583.codec} gear instance (factory PID {@code fluxrig.gear.iso8583.codec}). */
@ObjectClassDefinition(
        name = "fluxrig gear: iso8583.codec",
        description = "Decodes ISO 8583 bytes into fields, or encodes fields into ISO 8583 bytes, with a dialect.")
public @interface CodecConfig {

    /** @return the built-in dialect name */
    @AttributeDefinition(name = "Dialect", description = "Built-in dialect: iso87ascii, iso87binary or iso93ascii. Ignored when a spec file is set.",
            options = {@Option(value = "iso87ascii"), @Option(value = "iso87binary"), @Option(value = "iso93ascii")})
    String dialect() default "iso87ascii";

    /** @return decode or encode */
    @AttributeDefinition(name = "Direction", description = "decode: bytes (raw, or data 'bytes') to fields; encode: fields to bytes in raw.",
            options = {@Option(value = "decode"), @Option(value = "encode")})
    String direction() default "decode";

    /** @return whether to validate */
    @AttributeDefinition(name = "Validate", description = "Reject messages missing a mandatory field for their MTI or with non-digits in n fields.")
    boolean validate() default false;

    /** @return whether to check the PAN's Luhn digit */
    @AttributeDefinition(name = "Luhn", description = "Also reject a PAN whose Luhn check digit is wrong (only with validate).")
    boolean luhn() default false;

    /** @return a custom spec path, or empty */
    @AttributeDefinition(name = "Spec file", description = "Path of a JSON or YAML dialect spec; empty uses the built-in dialect.")
    String spec_file() default "";
}
