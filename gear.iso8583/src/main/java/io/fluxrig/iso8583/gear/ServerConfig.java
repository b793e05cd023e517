package io.fluxrig.iso8583.gear;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one {@code iso8583.server} gear instance (factory PID {@code fluxrig.gear.iso8583.server}). */
@ObjectClassDefinition(
        name = "fluxrig gear: iso8583.server",
        description = "Listens for ISO 8583 connections (terminals, acquirers): each frame is emitted on out with its connection id; "
                + "responses arriving on in are written back to the connection named in meta iso.conn.")
public @interface ServerConfig {

    /** @return the TCP port */
    @AttributeDefinition(name = "Port", description = "TCP port to listen on (0 = any free port, for tests).", min = "0", max = "65535")
    int port() default 8583;

    /** @return the bind address */
    @AttributeDefinition(name = "Host", description = "Address to bind; 0.0.0.0 for every interface.")
    String host() default "127.0.0.1";

    /** @return the framing */
    @AttributeDefinition(name = "Framing", description = "Length prefix: binary2 (2-byte big-endian) or ascii4 (4 ASCII digits). It counts header + message.",
            options = {@Option(value = "binary2"), @Option(value = "ascii4")})
    String framing() default "binary2";

    /** @return the fixed header size */
    @AttributeDefinition(name = "Header bytes", description = "Fixed header (e.g. 5-byte TPDU) after the prefix: kept in meta iso.header (hex) and echoed on the response.",
            min = "0", max = "64")
    int header_bytes() default 0;

    /** @return the frame read limit */
    @AttributeDefinition(name = "Read timeout (ms)", description = "Longest time from a frame's first byte to its last; a slower sender is disconnected. 0 = no limit.", min = "0")
    int read_timeout_ms() default 5000;

    /** @return the idle limit */
    @AttributeDefinition(name = "Idle timeout (ms)", description = "A connection with no frame for this long is closed. 0 = never.", min = "0")
    int idle_timeout_ms() default 300000;

    /** @return the largest frame */
    @AttributeDefinition(name = "Max frame bytes", description = "Largest header + message length accepted; a larger prefix closes the connection.", min = "1")
    int max_frame_bytes() default 8192;

    /** @return the connection limit */
    @AttributeDefinition(name = "Max connections", description = "Connections beyond this count are closed as soon as they are accepted.", min = "1")
    int max_connections() default 100;

    /** @return the connection limit per peer address */
    @AttributeDefinition(name = "Max connections per address", description = "Connections from one peer IP address beyond this count "
            + "are closed as soon as they are accepted, so one client cannot hold all of max.connections. 0 = no per-address limit.",
            min = "0")
    int max_connections_per_address() default 64;

    /** @return the dialect of back-pressure declines, or empty for none */
    @AttributeDefinition(name = "Reject dialect", description = "When set (iso87ascii, iso87binary, iso93ascii), a request the "
            + "downstream refuses (back-pressure: a full buffer or wire, NATS unreachable) is decoded with this dialect and answered "
            + "at once on its connection: MTI + 10, fields 3, 4, 7, 11, 12, 13, 37, 41, 42, 49 echoed, 39 = reject.response.code. "
            + "Empty (default): the request is counted, logged and dropped, and the peer waits for its own timeout. "
            + "A request that does not decode is dropped either way.")
    String reject_dialect() default "";

    /** @return field 39 of back-pressure declines */
    @AttributeDefinition(name = "Reject response code", description = "Field 39 of a back-pressure decline (with reject.dialect): "
            + "96 (system malfunction) for the 1987 dialects; a 1993 dialect needs 3 digits, e.g. 909.")
    String reject_response_code() default "96";
}
