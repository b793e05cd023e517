package io.fluxrig.cli.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.CliRun;
import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.NatsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NATS key ceremony through the real command line: init, the Mixer's signer folder, creds. */
class NatsTrustCommandsTest {
    @TempDir
    Path dir;
    private final CliRun cli = new CliRun();

    @Test
    void theOperatorKeepsTheRootAndTheMixerGetsSigningKeysOnly() throws Exception {
        Path root = dir.resolve("offline/trust");
        assertEquals(0, cli.run("nats-trust", "init", "--dir", root.toString(), "--server-config", dir.resolve("srv/auth.conf").toString(),
                "--json"), cli.err());
        JsonNode init = cli.json();
        String operator = init.get("operator").asText();
        assertTrue(operator.startsWith("O") && init.get("operatorSigningKey").asText().startsWith("O"));
        assertTrue(init.get("accounts").get("WIRES").get("signingKey").asText().startsWith("A"));
        assertTrue(Files.readString(dir.resolve("srv/operator.jwt")).contains("."));
        assertEquals(0, cli.run("nats-trust", "init", "--dir", root.toString(), "--json"));
        assertEquals(operator, cli.json().get("operator").asText(), "an existing root of trust is read, never replaced");

        Path signer = dir.resolve("mixer/nats/trust");
        assertEquals(0, cli.run("nats-trust", "signer", "--trust", root.toString(), "--out", signer.toString(), "--json"), cli.err());
        assertEquals(List.of("account-system-signing.nk", "account-wires-signing.nk", "operator-signing.nk", "public.keys"),
                new ObjectMapper().convertValue(cli.json().get("files"), List.class));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(signer)));
        String operatorSeed = Files.readString(root.resolve("operator.nk")).trim();
        try (var files = Files.list(signer)) {
            for (Path f : files.toList()) {
                assertFalse(Files.readString(f).contains(operatorSeed), f + " holds the operator's identity seed");
            }
        }
        assertFalse(NatsTrust.load(signer).holdsOperatorIdentity());

        Path mixerCreds = dir.resolve("mixer.creds");
        assertEquals(0, cli.run("nats-trust", "creds", "--trust", root.toString(), "--role", "mixer", "--out", mixerCreds.toString(),
                "--json"), cli.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mixerCreds)));
        String claims = Jwt.claimsJson(Creds.read(mixerCreds).jwt());
        assertTrue(claims.contains("\"name\":\"fluxrig-mixer\""), claims);
        assertEquals(1, cli.run("nats-trust", "creds", "--trust", signer.toString(), "--role", "mixer", "--out",
                dir.resolve("x.creds").toString()), "the signer folder cannot make the Mixer's own user");
        assertTrue(cli.err().contains("no key to sign its users"), cli.err());
        assertEquals(1, cli.run("nats-trust", "init", "--dir", signer.toString()), "a signer folder never becomes a root of trust");
    }
}
