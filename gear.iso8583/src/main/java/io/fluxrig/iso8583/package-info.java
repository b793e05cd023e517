/**
 * ISO 8583 as data: a {@link io.fluxrig.iso8583.MessageSpec} (one declarative table per dialect,
 * built in or loaded from a JSON/YAML file by {@link io.fluxrig.iso8583.Dialects}), the
 * {@link io.fluxrig.iso8583.IsoCodec} that turns bytes into an {@link io.fluxrig.iso8583.IsoMessage}
 * and back bit for bit, the mapping to fluxMsg data ({@link io.fluxrig.iso8583.IsoFluxMapping}),
 * validation on request ({@link io.fluxrig.iso8583.IsoValidator}) and masking of sensitive
 * values for logs and consoles ({@link io.fluxrig.iso8583.Masking}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.iso8583;
