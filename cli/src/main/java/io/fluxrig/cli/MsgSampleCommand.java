package io.fluxrig.cli;

import io.fluxrig.msg.json.FluxMsgJson;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code msg sample}: prints a realistic card-authorisation envelope as JSON. */
@Command(name = "sample", description = {"print an example envelope (a card authorisation) as JSON",
        "Prints a realistic example envelope as JSON: an ISO 8583 authorisation request with trace context, meta, "
                + "data (nested card, decimal amount), the raw wire message and two hops. Always the same output; "
                + "feed it to 'msg encode'."})
final class MsgSampleCommand implements Callable<Integer> {
    private final FluxMsgJson json = FluxMsgJson.create().withPrettyPrint(true);
    private final Console console;

    MsgSampleCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        json.write(SampleEnvelope.cardAuthorisation(), console.out());
        console.out().println();
        return Exit.OK;
    }
}
