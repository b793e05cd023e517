/**
 * The JSON form of {@link io.fluxrig.msg.FluxMsg}, for the CLI and consoles, and of its data
 * values alone, for gears that turn data into JSON and back (1.1: {@code readValue},
 * {@code writeValue}). Entry point: {@link io.fluxrig.msg.json.FluxMsgJson}.
 *
 * <pre>
 * {"id":"&lt;uuid&gt;","ref":"&lt;uuid&gt;","trace":"00-...","src":"...","meta":{"k":"v"},
 *  "data":{...},"raw":{"$bytes":"&lt;base64&gt;"},
 *  "path":[{"rack":"..","gear":"..","ts":&lt;int&gt;}],"ts":&lt;int&gt;}
 * </pre>
 * {@code id} and {@code ts} are required (so the same JSON always gives the same CBOR); the other
 * keys may be absent or null. Data values:
 * <pre>
 * fluxMsg value     JSON
 * String            string
 * Long              integer number
 * BigDecimal        number with a fraction or exponent, exact text: 12.50, 1.5E+3; a decimal
 *                   with scale 0 is written with E0 (7E0) unless it is beyond 64 bits
 *                   (a plain integer beyond 64 bits reads as a BigDecimal)
 * Double            {"$double": 1.5} or {"$double": "NaN" | "Infinity" | "-Infinity"}
 * Bytes             {"$bytes": "&lt;standard base64, padded&gt;"}
 * Boolean, null     true / false / null
 * Map, List         object / array
 * </pre>
 * An object key in data that begins with {@code $} is reserved; a data key that itself begins
 * with {@code $} is written with one more {@code $} ({@code "$$price"} is the key {@code "$price"}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.fluxrig.msg.json;
