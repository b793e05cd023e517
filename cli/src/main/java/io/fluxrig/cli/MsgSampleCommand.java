package io.fluxrig.cli;

import io.fluxrig.msg.json.FluxMsgJson;
import java.io.IOException;
import java.util.List;

/** {@code msg sample}: prints a realistic card-authorisation envelope as JSON. */
final class MsgSampleCommand implements Command {
    private final FluxMsgJson json = FluxMsgJson.create().withPrettyPrint(true);

    @Override
    public String name() {
        return "msg sample";
    }

    @Override
    public String summary() {
        return "print an example envelope (a card authorisation) as JSON";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig msg sample
                  Prints a realistic example envelope as JSON: an ISO 8583 authorisation
                  request with trace context, meta, data (nested card, decimal amount), the raw
                  wire message and two hops. Always the same output; feed it to 'msg encode'.""";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        if (!args.isEmpty()) {
            console.err().println("fluxrig msg sample: unknown option " + args.get(0));
            return USAGE;
        }
        json.write(SampleEnvelope.cardAuthorisation(), console.out());
        console.out().println();
        return OK;
    }
}
