package io.fluxrig.cli;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.msg.json.JsonEnvelopeException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

/** {@code msg encode [--hex]}: a JSON envelope on stdin to deterministic CBOR on stdout. */
final class MsgEncodeCommand implements Command {
    private final FluxMsgJson json = FluxMsgJson.create();
    private final FluxMsgCbor cbor = FluxMsgCbor.standard();

    @Override
    public String name() {
        return "msg encode";
    }

    @Override
    public String summary() {
        return "JSON envelope on stdin -> deterministic CBOR on stdout";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig msg encode [--hex]
                  Reads one fluxMsg envelope in its JSON form from stdin and writes its
                  deterministic CBOR encoding (RFC 8949 4.2.1) to stdout.
                  --hex   write lower-case hex and a newline instead of raw bytes
                  Errors go to stderr as 'fluxrig msg encode: <json path>: <reason>', exit 1.""";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        boolean hex = false;
        for (String a : args) {
            if (a.equals("--hex")) {
                hex = true;
            } else {
                console.err().println("fluxrig msg encode: unknown option " + a);
                return USAGE;
            }
        }
        FluxMsg msg;
        try {
            msg = json.read(console.readAllInput());
        } catch (JsonEnvelopeException e) {
            console.err().println("fluxrig msg encode: " + e.getMessage());
            return FAILED;
        }
        byte[] bytes;
        try {
            bytes = cbor.encode(msg);
        } catch (IllegalArgumentException e) {
            console.err().println("fluxrig msg encode: " + e.getMessage());
            return FAILED;
        }
        if (hex) {
            console.out().println(HexFormat.of().formatHex(bytes));
        } else {
            console.out().write(bytes);
        }
        return OK;
    }
}
