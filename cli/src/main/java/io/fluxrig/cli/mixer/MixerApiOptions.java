package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every Mixer command takes (a mixin): which Mixer, its CA and the operator token.
 * Precedence, per value: the option given, else the context ({@code --context}, else
 * {@code $FLUXRIG_CONTEXT}, else the one selected with {@code fluxrig context use}), else
 * {@code --data}'s files ({@code ./data/mixer} by default) and {@code https://127.0.0.1:8443}.
 * The token: {@code $FLUXRIG_API_TOKEN}, else the token file ({@code --api-token-file}, else the
 * context's, else {@code <data>/operator.token}); never an argument, which other users can read.
 */
final class MixerApiOptions {
    static final String ENVIRONMENT = "Environment: FLUXRIG_CONTEXT (the context to use), FLUXRIG_API_TOKEN (the operator token), "
            + "FLUXRIG_CONFIG (the folder holding the contexts, default ~/.config/fluxrig).";

    @Option(names = "--context", paramLabel = "NAME", description = "the operator context to use (default: $FLUXRIG_CONTEXT, else the selected one)")
    String context;
    @Option(names = "--data", paramLabel = "DIR", description = "the Mixer's data folder: its ca.crt and operator.token (default ./data/mixer without a context)")
    String data;
    @Option(names = "--api", paramLabel = "URL", description = "the Mixer's operator API (default https://127.0.0.1:8443 without a context)")
    String api;
    @Option(names = "--api-token-file", paramLabel = "FILE", description = "the file holding the operator token (default: the context's, else DIR/operator.token)")
    String tokenFile;
    @Option(names = "--ca", paramLabel = "FILE", description = "the Mixer CA certificate (default: the context's, else DIR/ca.crt)")
    String ca;

    /** @return the options as {@link MixerApiClient#from} reads them, the context filled in */
    Map<String, String> resolve(Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        Contexts contexts = Contexts.from(console.env());
        Optional<String> name = Optional.ofNullable(context).or(() -> Optional.ofNullable(console.env().get("FLUXRIG_CONTEXT"))
                .filter(s -> !s.isBlank()));
        if (name.isEmpty() && data == null && api == null) {
            name = contexts.selected();
        }
        if (name.isPresent()) {
            Contexts.Context c = contexts.read(name.get());
            o.put("--api", c.api());
            o.put("--ca", c.ca().toString());
            o.put("--token-file", c.tokenFile().toString());
        }
        put(o, "--data", data);
        if (data != null) { // an explicit data folder names its own CA and token file
            o.remove("--ca");
            o.remove("--token-file");
        }
        put(o, "--api", api);
        put(o, "--token-file", tokenFile);
        put(o, "--ca", ca);
        if (tokenFile == null && console.env().get("FLUXRIG_API_TOKEN") != null) {
            o.put("--api-token", console.env().get("FLUXRIG_API_TOKEN"));
        }
        return o;
    }

    MixerApiClient client(Console console) throws IOException {
        return MixerApiClient.from(resolve(console));
    }

    /** @return the data folder in effect for files a command writes beside the Mixer's, e.g. its CA */
    Path dataFolder() {
        return Path.of(data == null ? "./data/mixer" : data);
    }

    private static void put(Map<String, String> o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
