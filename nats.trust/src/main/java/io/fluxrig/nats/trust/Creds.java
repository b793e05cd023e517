package io.fluxrig.nats.trust;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * A NATS {@code .creds} file: a user JWT and the user's nkey seed, in the layout nsc writes and
 * every NATS client reads. Files are written 0600 and replaced atomically (a reader sees the old
 * or the new credential, never half of one).
 *
 * @param jwt the user JWT
 * @param seed the user's nkey seed (secret)
 */
public record Creds(String jwt, char[] seed) {

    /** @return the file's text */
    public String text() {
        return "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + new String(seed) + "\n------END USER NKEY SEED------\n\n"
                + "*************************************************************\n";
    }

    /** Writes the file with mode 0600 (its folder is created when missing), replacing an old one atomically. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".creds-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text());
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @throws IOException naming the file and what is missing when it is not a creds file
     */
    public static Creds read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String jwt = after(lines, "JWT");
        String seed = after(lines, "SEED");
        if (jwt == null || seed == null) {
            throw new IOException("NATS credentials " + file + ": no " + (jwt == null ? "user JWT" : "nkey seed")
                    + " block (-----BEGIN NATS USER JWT----- / -----BEGIN USER NKEY SEED-----)");
        }
        return new Creds(jwt, seed.toCharArray());
    }

    private static String after(List<String> lines, String what) {
        for (int i = 0; i < lines.size() - 1; i++) {
            String l = lines.get(i).trim();
            if (l.startsWith("---") && l.contains("BEGIN") && l.contains(what)) {
                String v = lines.get(i + 1).trim();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Creds c && c.jwt.equals(jwt) && Arrays.equals(c.seed, seed);
    }

    @Override
    public int hashCode() {
        return jwt.hashCode();
    }

    @Override
    public String toString() {
        return "Creds[" + jwt.length() + " characters of JWT, seed hidden]";
    }
}
