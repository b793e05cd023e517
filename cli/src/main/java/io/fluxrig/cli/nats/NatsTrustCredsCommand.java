package io.fluxrig.cli.nats;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.JsonResult;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nats-trust creds --trust DIR --role R --name N --out FILE}: one user's creds file. Stateless. */
@Command(name = "creds", description = {"write a NATS user's creds file (user JWT and a new nkey seed, mode 0600)",
        "Roles: mixer (the Mixer's buckets: needs the root of trust, its account has no signing key), reader (fluxrig wires, "
                + "tail), admin (wire replay). Rack credentials come from the Mixer at enrolment.",
        "--json prints {file, role, name, expires}.",
        "Exit codes: 0 written, 1 TRUST unreadable or FILE not writable, 2 usage."})
public final class NatsTrustCredsCommand implements Callable<Integer> {
    /** The roles an operator makes by hand. */
    enum Kind {
        mixer(Role.MIXER), reader(Role.READER), admin(Role.ADMIN);

        final Role role;

        Kind(Role role) {
            this.role = role;
        }
    }

    @Option(names = "--trust", required = true, paramLabel = "DIR", description = "the root of trust ('nats-trust init')")
    Path trust;
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "mixer, reader or admin")
    Kind kind;
    @Option(names = "--name", paramLabel = "NAME", description = "the user's name shown by the server (default: the role)")
    String name;
    @Option(names = "--ttl-days", paramLabel = "N", description = "expiry in days (default: none)")
    Integer ttlDays;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the creds file to write (0600)")
    Path out;
    /** --json: the result as one JSON object. */
    @Mixin
    final JsonResult result = new JsonResult();

    private final Console console;

    NatsTrustCredsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        String user = name == null ? "fluxrig-" + kind.name().toLowerCase(Locale.ROOT) : name;
        Duration ttl = ttlDays == null ? null : Duration.ofDays(ttlDays);
        try {
            NatsTrust.load(trust).writeCreds(kind.role, user, ttl, out);
        } catch (IOException | IllegalStateException e) {
            console.err().println("fluxrig nats-trust creds: " + e.getMessage());
            return Exit.FAILED;
        }
        result.print(console, JsonResult.fields("file", out.toAbsolutePath().toString(), "role", kind.name(), "name", user,
                "expires", ttl == null ? null : java.time.Instant.now().plus(ttl).toString()),
                List.of(kind + " creds for '" + user + "' written to " + out.toAbsolutePath() + " (0600)"));
        return Exit.OK;
    }
}
