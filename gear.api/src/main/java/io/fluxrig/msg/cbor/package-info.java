/**
 * The deterministic CBOR form of {@link io.fluxrig.msg.FluxMsg} (RFC 8949 §4.2.1, core
 * deterministic encoding) and its strict decoder. Entry point: {@link io.fluxrig.msg.cbor.FluxMsgCbor}.
 *
 * <h2>Envelope layout</h2>
 * One CBOR map with text keys, written in canonical order (shorter key first, then bytewise):
 * <pre>
 * key    value                                   when
 * id     tag 37 + 16-byte byte string (UUID)    always
 * ts     integer (major 0/1), epoch nanoseconds  always
 * raw    byte string                             raw != null
 * ref    tag 37 + 16-byte byte string            ref != null
 * src    text                                    src != null
 * data   map text -&gt; value (see below)          data not empty
 * meta   map text -&gt; text                       meta not empty
 * path   array of [rack text, gear text, ts int] path not empty
 * trace  text (W3C traceparent)                  trace != null
 * </pre>
 *
 * <h2>Data values</h2>
 * <pre>
 * Java value   CBOR
 * String       text string (major 3)
 * Long         integer (major 0 or 1), shortest head
 * BigDecimal   tag 4 [exponent, mantissa]: exponent = -scale (so 12.50 is [-2, 1250]);
 *              mantissa an integer (major 0/1, up to 64 bits) or, beyond that, a tag 2/3
 *              bignum without leading zero bytes
 * Double       the shortest of float16/32/64 that holds the value exactly; NaN is f97e00
 * Boolean      f4 / f5
 * null         f6
 * Bytes        byte string (major 2)
 * Map          map with text keys in canonical order
 * List         array
 * </pre>
 *
 * <p>Every length is definite and every head is in its shortest form. The decoder accepts
 * exactly what the encoder writes, so for any accepted input {@code encode(decode(b))} equals
 * {@code b}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.msg.cbor;
