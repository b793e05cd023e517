package io.fluxrig.cli;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.msg.json.JsonEnvelopeException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code msg encode [--hex]}: a JSON envelope on stdin to deterministic CBOR on stdout. */
@Command(name = "encode", description = {"JSON envelope on stdin -> deterministic CBOR on stdout",
        "Reads one fluxMsg envelope in its JSON form from stdin and writes its deterministic CBOR encoding "
                + "(RFC 8949 4.2.1) to stdout. Errors go to stderr as 'fluxrig msg encode: <json path>: <reason>', exit 1."})
final class MsgEncodeCommand implements Callable<Integer> {
    private final FluxMsgJson json = FluxMsgJson.create();
    private final FluxMsgCbor cbor = FluxMsgCbor.standard();
    private final Console console;

    @Option(names = "--hex", description = "write lower-case hex and a newline instead of raw bytes")
    boolean hex;

    MsgEncodeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        FluxMsg msg;
        try {
            msg = json.read(console.readAllInput());
        } catch (JsonEnvelopeException e) {
            console.err().println("fluxrig msg encode: " + e.getMessage());
            return Exit.FAILED;
        }
        byte[] bytes;
        try {
            bytes = cbor.encode(msg);
        } catch (IllegalArgumentException e) {
            console.err().println("fluxrig msg encode: " + e.getMessage());
            return Exit.FAILED;
        }
        if (hex) {
            console.out().println(HexFormat.of().formatHex(bytes));
        } else {
            console.out().write(bytes);
        }
        return Exit.OK;
    }
}
