package io.fluxrig.cli;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.SensitiveData;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.msg.json.FluxMsgJson;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code msg decode}: CBOR (raw or hex) on stdin to the pretty JSON form on stdout. Card data is
 * masked by the product's one rule set ({@link SensitiveData#masked(FluxMsg)}: PAN first 6 / last
 * 4, track, PIN and CVV hidden, under card-data keys, EMV tags and in free text; {@code raw}, the
 * wire bytes holding the same data, left out) unless {@code --unmasked} asks for the envelope as it
 * is, which is also what {@code msg encode} needs to give back the same bytes.
 */
@Command(name = "decode", description = {"CBOR (raw or hex) on stdin -> JSON envelope on stdout",
        "Reads one deterministic CBOR envelope from stdin and writes its JSON form. Input that is only hex digits "
                + "and whitespace is read as hex, else as raw bytes. Card data is masked (PAN first 6 and last 4, "
                + "track, PIN and CVV as ****, raw left out; a line on stderr says so) unless --unmasked. The decoder "
                + "is strict: errors go to stderr as 'fluxrig msg decode: offset N: reason', exit 1."})
final class MsgDecodeCommand implements Callable<Integer> {
    @Option(names = "--unmasked", description = "print the envelope as it is: card data in clear and raw included "
            + "(what 'msg encode' needs to give back the same bytes)")
    boolean unmasked;

    private final FluxMsgJson json = FluxMsgJson.create().withPrettyPrint(true);
    private final FluxMsgCbor cbor = FluxMsgCbor.standard();
    private final Console console;

    MsgDecodeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        byte[] input = console.readAllInput();
        byte[] bytes = isHexText(input) ? fromHex(input) : input;
        if (bytes == null) {
            console.err().println("fluxrig msg decode: hex input has an odd number of digits");
            return Exit.FAILED;
        }
        FluxMsg msg;
        try {
            msg = cbor.decode(bytes);
        } catch (CborException e) {
            console.err().println("fluxrig msg decode: " + e.getMessage());
            return Exit.FAILED;
        }
        FluxMsg shown = unmasked ? msg : SensitiveData.masked(msg);
        json.write(shown, console.out());
        console.out().println();
        if (!shown.equals(msg)) {
            console.err().println("fluxrig msg decode: card data masked" + (msg.raw() != null ? ", raw left out" : "")
                    + " (--unmasked prints the envelope as it is)");
        }
        return Exit.OK;
    }

    /** An envelope starts with a map head (0xa0..0xbf), never an ASCII hex digit. */
    static boolean isHexText(byte[] input) {
        boolean digits = false;
        for (byte b : input) {
            if (Character.digit(b, 16) >= 0 && b < 0x80) {
                digits = true;
            } else if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return digits;
    }

    /** @return the bytes, or null when the digit count is odd */
    static byte[] fromHex(byte[] text) {
        byte[] out = new byte[text.length / 2];
        int n = 0;
        int high = -1;
        for (byte b : text) {
            int d = b < 0x80 ? Character.digit(b, 16) : -1;
            if (d < 0) {
                continue;
            }
            if (high < 0) {
                high = d;
            } else {
                out[n++] = (byte) (high << 4 | d);
                high = -1;
            }
        }
        return high >= 0 ? null : java.util.Arrays.copyOf(out, n);
    }
}
