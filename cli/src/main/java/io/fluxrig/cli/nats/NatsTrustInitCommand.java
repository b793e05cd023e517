package io.fluxrig.cli.nats;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.JsonResult;
import io.fluxrig.nats.trust.NatsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nats-trust init --dir DIR [--server-config FILE]}: makes the root of trust (or reads it,
 * adding signing keys an older one lacks) and optionally the servers' operator-mode configuration.
 * Stateless.
 */
@Command(name = "init", description = {"make (or read) the NATS root of trust the operator keeps offline",
        "DIR (0700, seeds 0600) holds the operator's identity and signing keys, the system, Mixer and wires accounts' keys "
                + "and their signing keys. Run it on the operator's machine; give the Mixer only 'nats-trust signer'. An existing "
                + "DIR is read, never replaced (signing keys missing from an older one are added: write the server configuration "
                + "again and restart the servers).",
        "--server-config FILE writes the nats-server configuration of operator mode (FILE, operator.jwt and jwt/ beside it) "
                + "to include in each server's configuration.",
        "Prints the public keys; --json prints {dir, operator, operatorSigningKey, accounts, serverConfig}.",
        "Exit codes: 0 done, 1 DIR unreadable or not a root of trust, 2 usage."})
public final class NatsTrustInitCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the root of trust's folder (made when missing)")
    Path dir;
    @Option(names = "--server-config", paramLabel = "FILE", description = "also write the servers' operator-mode configuration here")
    Path serverConfig;
    /** --json: the result as one JSON object. */
    @Mixin
    final JsonResult result = new JsonResult();

    private final Console console;

    NatsTrustInitCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        NatsTrust trust;
        try {
            trust = NatsTrust.loadOrCreate(dir);
            if (serverConfig != null) {
                trust.writeServerConfig(serverConfig);
            }
        } catch (IOException e) {
            console.err().println("fluxrig nats-trust init: " + e.getMessage());
            return Exit.FAILED;
        }
        Map<String, Object> accounts = new LinkedHashMap<>();
        for (NatsTrust.Account a : NatsTrust.Account.values()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("publicKey", trust.accountPublicKey(a));
            k.put("signingKey", trust.accountSigningKey(a));
            accounts.put(a.jwtName(), k);
        }
        List<String> text = new ArrayList<>();
        text.add("NATS root of trust " + dir.toAbsolutePath() + " (keep it offline; seeds 0600)");
        text.add("  operator " + trust.operatorPublicKey() + ", signing key " + trust.operatorSigningKey());
        accounts.forEach((name, k) -> text.add("  account " + name + " " + ((Map<?, ?>) k).get("publicKey")));
        if (serverConfig != null) {
            text.add("servers' configuration: " + serverConfig.toAbsolutePath());
        }
        text.add("next: fluxrig nats-trust signer --trust " + dir + " --out <mixer data>/nats/trust");
        result.print(console, JsonResult.fields("dir", dir.toAbsolutePath().toString(), "operator", trust.operatorPublicKey(),
                "operatorSigningKey", trust.operatorSigningKey(), "accounts", accounts,
                "serverConfig", serverConfig == null ? null : serverConfig.toAbsolutePath().toString()), text);
        return Exit.OK;
    }
}
