package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * The Mixer operator API as one command run uses it (a picocli mixin): the API options
 * ({@link MixerApiOptions}), the client opened from them once, and calls whose refusal is printed
 * on stderr as the command's message followed by the Mixer's reason. The command line's factory
 * makes it with the run's {@link Console}; one instance per command, used from its thread only.
 */
final class MixerCall {
    @Mixin
    MixerApiOptions options;
    private final Console console;
    private MixerApiClient client;

    MixerCall(Console console) {
        this.console = console;
    }

    /** @return where the command prints */
    Console console() {
        return console;
    }

    /** @return the client, opened at the first call (reads the token and the Mixer CA; fails naming what is missing) */
    MixerApiClient client() throws IOException {
        if (client == null) {
            client = options.client(console);
        }
        return client;
    }

    /**
     * @param refusal what stderr says before the Mixer's reason, e.g. {@code "fluxrig commands cancel: not cancelled: "}
     * @return the reply's JSON object when the Mixer answered {@code expected}, else null after printing the refusal
     */
    Map<?, ?> object(String method, String path, String body, int expected, String refusal) throws IOException {
        MixerApiClient.Reply r = client().call(method, path, body);
        if (r.status() == expected && r.json() instanceof Map<?, ?> m) {
            return m;
        }
        refused(refusal, r);
        return null;
    }

    /** @return the JSON list {@code GET path} answered with 200, else null after printing the refusal */
    List<?> list(String path, String refusal) throws IOException {
        MixerApiClient.Reply r = client().call("GET", path, null);
        if (r.status() == 200 && r.json() instanceof List<?> l) {
            return l;
        }
        refused(refusal, r);
        return null;
    }

    /** Prints the refusal and the Mixer's reason on stderr; @return {@link Exit#FAILED} */
    int refused(String refusal, MixerApiClient.Reply r) {
        console.err().println(refusal + r.error());
        return Exit.FAILED;
    }
}
