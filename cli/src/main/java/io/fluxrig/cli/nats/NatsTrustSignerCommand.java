package io.fluxrig.cli.nats;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.JsonResult;
import io.fluxrig.nats.trust.NatsTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nats-trust signer --trust DIR --out DIR}: the Mixer's part of the root of trust. Stateless. */
@Command(name = "signer", description = {"write the Mixer's signer folder from the root of trust",
        "OUT (0700) gets the operator signing key (account updates: revocations), the system account's (the Mixer's "
                + "system user) and the wires account's (rack credentials), each 0600, and public.keys; never an identity "
                + "seed. Copy OUT to <mixer data>/nats/trust (or start the Mixer with --nats-trust OUT).",
        "--json prints {dir, files}.",
        "Exit codes: 0 written, 1 TRUST unreadable or OUT not writable, 2 usage."})
public final class NatsTrustSignerCommand implements Callable<Integer> {
    @Option(names = "--trust", required = true, paramLabel = "DIR", description = "the root of trust ('nats-trust init')")
    Path trust;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the signer folder to write")
    Path out;
    /** --json: the result as one JSON object. */
    @Mixin
    final JsonResult result = new JsonResult();

    private final Console console;

    NatsTrustSignerCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        List<String> files;
        try {
            NatsTrust.load(trust).writeSigner(out);
            try (var l = Files.list(out)) {
                files = l.map(p -> p.getFileName().toString()).sorted().toList();
            }
        } catch (IOException e) {
            console.err().println("fluxrig nats-trust signer: " + e.getMessage());
            return Exit.FAILED;
        }
        result.print(console, JsonResult.fields("dir", out.toAbsolutePath().toString(), "files", files),
                List.of("signer folder " + out.toAbsolutePath() + ": " + String.join(", ", files)
                        + " (no identity seed; keep it as secret as the Mixer's CA key)"));
        return Exit.OK;
    }
}
