package io.fluxrig.cli.release;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.JsonResult;
import io.fluxrig.snake.api.release.PublisherKeys;
import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code release keygen --out PATH}: makes an Ed25519 publisher key pair; {@code PATH.key} (both
 * keys, mode 0600) and {@code PATH.pub} (the public key's one-line form racks pin). Never
 * overwrites a key. Stateless.
 */
@Command(name = "keygen", description = {"make a publisher key pair (Ed25519)",
        "Writes PATH.key (private and public key, PEM, mode 0600: keep it with the publisher, never on the Mixer) and PATH.pub "
                + "(the line racks pin: publisher.keys in the Snake's configuration io.fluxrig.rack.snake). Refuses to overwrite an existing key.",
        "Prints the key id and the public key; --json prints {id, publicKey, keyFile, publicKeyFile}.",
        "Exit codes: 0 written, 1 a file exists or cannot be written, 2 usage."})
public final class ReleaseKeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "PATH", description = "where to write PATH.key and PATH.pub")
    Path out;
    /** --json: the result as one JSON object. */
    @Mixin
    final JsonResult result = new JsonResult();

    private final Console console;

    ReleaseKeygenCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Path key = Path.of(out + ".key");
        Path pub = Path.of(out + ".pub");
        for (Path p : new Path[] {key, pub}) {
            if (Files.exists(p)) {
                console.err().println("fluxrig release keygen: " + p + " exists; a key is never overwritten (choose another --out)");
                return Exit.FAILED;
            }
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(PublisherKeys.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
        }
        String text = PublisherKeys.text(pair.getPublic());
        String id = PublisherKeys.id(pair.getPublic());
        try {
            Pem.write(key, PublisherKeyFile.text(pair), true);
            Pem.write(pub, text + "\n", false);
        } catch (IOException e) {
            console.err().println("fluxrig release keygen: cannot write " + key + ": " + e.getMessage());
            return Exit.FAILED;
        }
        result.print(console, JsonResult.fields("id", id, "publicKey", text, "keyFile", key.toString(), "publicKeyFile", pub.toString()),
                List.of("publisher key " + id, "  private: " + key + " (mode 0600; keep it off the Mixer and the racks)", "  public:  " + pub,
                        "pin it on racks (<rack data>/etc/io.fluxrig.rack.snake.cfg): publisher.keys=" + text));
        return Exit.OK;
    }
}
