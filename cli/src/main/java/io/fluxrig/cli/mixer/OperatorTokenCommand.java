package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.JsonResult;
import io.fluxrig.cli.Group;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.OperatorTokenFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code operator-token}: the Mixer's operator API token. */
@Command(name = "operator-token", description = {"the Mixer's operator API token",
        "Run on the Mixer's host: the token lives in the Mixer's data folder (operator.token, mode 0600), and the Mixer keeps "
                + "only its hash (api-token.sha256, 0600)."},
        subcommands = {OperatorTokenCommand.Rotate.class})
public final class OperatorTokenCommand extends Group {
    OperatorTokenCommand(Console console) {
        super(console);
    }

    /**
     * {@code operator-token rotate [--data DIR] [--ttl DURATION] [--json]} on the Mixer's host, or
     * {@code operator-token rotate --api URL|--context NAME [--out FILE]} from anywhere through the
     * operator API.
     */
    @Command(name = "rotate", description = {"replace the operator token: a new one in DIR/operator.token, the old one refused from now on",
            "Writes a new random token to DIR/operator.token (mode 0600) and its hash to DIR/api-token.sha256; the running Mixer "
                    + "reads the hash file again at its next request, so the old token stops working without a restart. "
                    + "Operator contexts whose token file is DIR/operator.token follow; copies elsewhere must be replaced.",
            "With --api URL or --context NAME: through the operator API (authenticated with the current token), from any "
                    + "machine; the Mixer refuses the old token at once and the new one is written to --out FILE, else to the "
                    + "token file in use (the context's or --api-token-file), mode 0600. The token is never printed.",
            MixerApiOptions.ENVIRONMENT})
    static final class Rotate implements Callable<Integer> {
        private static final Pattern TTL = Pattern.compile("(\\d{1,6})([mhd])");

        @picocli.CommandLine.Mixin
        MixerApiOptions mixer = new MixerApiOptions();
        @Option(names = "--ttl", paramLabel = "DURATION", description = "the new token expires after DURATION: N followed by m, h or d "
                + "(e.g. 90d); default: never")
        String ttl;
        @Option(names = "--out", paramLabel = "FILE", description = "with --api: where to write the new token (default: the token file in use)")
        Path outFile;
        /** --json: the result as one JSON object. */
        @picocli.CommandLine.Mixin
        final JsonResult result = new JsonResult();
        @Spec
        CommandSpec spec;
        private final Console console;
        private final Clock clock = Clock.systemUTC();

        Rotate(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() throws IOException {
            Instant expires = ttl == null ? null : clock.instant().plus(parse(ttl));
            if (mixer.api != null || mixer.context != null) {
                return remote();
            }
            Path dir = mixer.dataFolder().toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve(OperatorTokenFiles.HASH))) {
                throw new ParameterException(spec.commandLine(), "--data " + dir + " is not a Mixer data folder (no "
                        + OperatorTokenFiles.HASH + "; the Mixer writes it at its first start)");
            }
            OperatorTokenFiles.write(dir, OperatorTokenFiles.generate(new SecureRandom()), expires);
            return done(dir.resolve(OperatorTokenFiles.TOKEN), expires == null ? null : expires.toString());
        }

        private Integer remote() throws IOException {
            java.util.Map<String, String> options = mixer.resolve(console);
            // Where the current token came from (MixerApiClient's order): the new one replaces it there.
            Path target = outFile != null ? outFile : options.containsKey("--api-token") ? null
                    : options.containsKey("--token-file") ? Path.of(options.get("--token-file"))
                    : Path.of(options.getOrDefault("--data", "./data/mixer"), OperatorTokenFiles.TOKEN);
            if (target == null) {
                throw new ParameterException(spec.commandLine(), "the token came from FLUXRIG_API_TOKEN: give --out FILE for the new one");
            }
            MixerApiClient api = MixerApiClient.from(options);
            MixerApiClient.Reply r = api.call("POST", OperatorPaths.OPERATOR_TOKEN_ROTATE,
                    ttl == null ? "{}" : "{\"ttl\":" + MixerApiClient.quote(ttl.strip()) + "}");
            if (r.status() != 200 || !(r.json() instanceof java.util.Map<?, ?> m) || !(m.get("token") instanceof String token)) {
                console.err().println("fluxrig operator-token rotate: the Mixer refused (" + r.status() + "): " + r.error());
                return Exit.FAILED;
            }
            io.fluxrig.snake.api.tls.Pem.write(target, token + "\n", true); // 0600, replaced whole
            return done(target, m.get("expires") == null ? null : String.valueOf(m.get("expires")));
        }

        private Integer done(Path file, String expires) {
            result.print(console, JsonResult.fields("tokenFile", file.toString(), "expires", expires),
                    java.util.List.of("operator token rotated: the new token is in " + file + " (mode 0600), "
                            + (expires == null ? "no expiry" : "expires " + expires) + "; the old token is refused from now on"));
            return Exit.OK;
        }

        private Duration parse(String text) {
            Matcher m = TTL.matcher(text.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new ParameterException(spec.commandLine(), "--ttl '" + text + "' must be N followed by m, h or d, e.g. 90d");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    }
}
