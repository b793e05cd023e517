package io.fluxrig.iso8583.gear;

import io.fluxrig.testsupport.RecordingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The issuer patch in plain Java: iso8583.server out → codec decode → responder → codec encode →
 * server in, each gear with its own {@link RecordingContext}, listening on a free loopback port.
 */
final class IssuerChain implements AutoCloseable {
    final ServerGear server;
    final RecordingContext serverCtx = new RecordingContext("srv");
    final RecordingContext decodeCtx = new RecordingContext("dec");
    final RecordingContext responderCtx = new RecordingContext("issuer");
    final RecordingContext encodeCtx = new RecordingContext("enc");
    /** The header (hex) of the last request the server read, as a tap on server.out. */
    volatile String lastRequestHeader;

    IssuerChain(String dialect, Map<String, Object> serverConfig, Map<String, Object> responderConfig) {
        Map<String, Object> sc = new HashMap<>(Map.of("port", 0));
        sc.putAll(serverConfig);
        server = new ServerGear(Configs.of(ServerConfig.class, sc));
        CodecGear decode = new CodecGear(Configs.of(CodecConfig.class, Map.of("dialect", dialect, "direction", "decode")));
        CodecGear encode = new CodecGear(Configs.of(CodecConfig.class, Map.of("dialect", dialect, "direction", "encode")));
        Map<String, Object> rc = new HashMap<>(Map.of("dialect", dialect));
        rc.putAll(responderConfig);
        ResponderGear responder = new ResponderGear(Configs.of(ResponderConfig.class, rc));
        serverCtx.route("out", m -> {
            lastRequestHeader = m.meta("iso.header");
            decode.onMessage("in", m, decodeCtx);
        });
        decodeCtx.link("out", responder, responderCtx);
        responderCtx.link("out", encode, encodeCtx);
        encodeCtx.link("out", server, serverCtx);
        server.open(serverCtx);
    }

    int port() {
        return server.localPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
