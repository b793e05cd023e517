package io.fluxrig.iso8583.gear;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one {@code iso8583.client} gear instance (factory PID {@code fluxrig.gear.iso8583.client}). */
@ObjectClassDefinition(
        name = "fluxrig gear: iso8583.client",
        description = "Connects to an ISO 8583 host, sends requests from in, emits matched responses on out; timeouts go to error.")
public @interface ClientConfig {

    /** @return the remote host */
    @AttributeDefinition(name = "Host", description = "Host to connect to.")
    String host() default "127.0.0.1";

    /** @return the remote port */
    @AttributeDefinition(name = "Port", description = "TCP port to connect to.", min = "1", max = "65535")
    int port() default 8583;

    /** @return the framing */
    @AttributeDefinition(name = "Framing", description = "Length prefix: binary2 or ascii4 (counts header + message).",
            options = {@Option(value = "binary2"), @Option(value = "ascii4")})
    String framing() default "binary2";

    /** @return the header */
    @AttributeDefinition(name = "Header (hex)", description = "Fixed header sent before every message (e.g. a TPDU); responses must carry one of the same length. Empty = none.")
    String header() default "";

    /** @return the dialect */
    @AttributeDefinition(name = "Dialect", description = "Built-in dialect used to read match keys, encode requests that have no raw bytes, decode responses and build echoes.",
            options = {@Option(value = "iso87ascii"), @Option(value = "iso87binary"), @Option(value = "iso93ascii")})
    String dialect() default "iso87ascii";

    /** @return the match fields */
    @AttributeDefinition(name = "Match fields", description = "Fields that pair a response with its request, with the MTI class (0200 pairs with 0210).")
    int[] match_fields() default {11, 41};

    /** @return the response timeout */
    @AttributeDefinition(name = "Response timeout (ms)", description = "A request with no response by then is emitted on error with the reason.", min = "1")
    int response_timeout_ms() default 10000;

    /** @return the echo interval */
    @AttributeDefinition(name = "Echo interval (ms)", description = "Send an 0800 echo (70=301) this often while connected; a missing 0810 drops the connection. 0 = off.",
            min = "0")
    int echo_interval_ms() default 0;

    /** @return the connect timeout */
    @AttributeDefinition(name = "Connect timeout (ms)", description = "Longest wait for one TCP connect.", min = "1")
    int connect_timeout_ms() default 3000;

    /** @return the first reconnect delay */
    @AttributeDefinition(name = "Reconnect min (ms)", description = "First delay before reconnecting; doubles on every failure up to reconnect.max.ms.", min = "1")
    int reconnect_min_ms() default 200;

    /** @return the longest reconnect delay */
    @AttributeDefinition(name = "Reconnect max (ms)", description = "Longest delay between reconnect attempts.", min = "1")
    int reconnect_max_ms() default 10000;

    /** @return the in-flight limit */
    @AttributeDefinition(name = "Max in flight", description = "Requests awaiting a response beyond this count are rejected.", min = "1")
    int max_inflight() default 10000;

    /** @return the frame limit */
    @AttributeDefinition(name = "Max frame bytes", description = "Largest response frame accepted (header + message).", min = "1")
    int max_frame_bytes() default 8192;
}
