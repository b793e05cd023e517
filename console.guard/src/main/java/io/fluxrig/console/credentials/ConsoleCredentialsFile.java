package io.fluxrig.console.credentials;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The console's configuration file {@code <data>/etc/io.fluxrig.console.cfg} (configuration PID
 * {@value #PID}): the user and the password hash, mode 0600 in a 0700 folder, written whole and
 * moved into place so a reader never sees half a file. The CLI writes it before a rack or the
 * Mixer starts; the console guard reads it (and writes it with a generated password when it is
 * missing). Stateless; concurrent writers of one folder are not coordinated (the last move wins).
 */
public final class ConsoleCredentialsFile {
    /** The console's configuration PID. */
    public static final String PID = "io.fluxrig.console";
    /** The file's name in the etc folder (FileInstall's naming: PID + {@code .cfg}). */
    public static final String FILE = PID + ".cfg";
    /** The folder below a rack's or the Mixer's data folder that holds configuration files. */
    public static final String ETC = "etc";
    /** A password the console generated itself (mode 0600, in the etc folder). */
    public static final String GENERATED_PASSWORD = "console.password";
    /** Configuration property: the console user. */
    public static final String USER = "user";
    /** Configuration property: the {@link ConsolePasswordHash} of the console password. */
    public static final String PASSWORD_HASH = "password.hash";
    /** The user when none is configured. */
    public static final String DEFAULT_USER = "fluxrig";

    private ConsoleCredentialsFile() {
    }

    /**
     * The stored user and hash.
     *
     * @param user the console user
     * @param passwordHash the hash, or null when none is stored yet
     */
    public record Stored(String user, String passwordHash) {
    }

    /** @return the configuration file of a data folder */
    public static Path file(Path data) {
        return data.resolve(ETC).resolve(FILE);
    }

    /**
     * @param etc the etc folder
     * @return what the file holds, or null when there is no file
     */
    public static Stored read(Path etc) throws IOException {
        Path file = etc.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String user = p.getProperty(USER, "").strip();
        String hash = p.getProperty(PASSWORD_HASH, "").strip();
        return new Stored(user.isEmpty() ? DEFAULT_USER : user, hash.isEmpty() ? null : hash);
    }

    /**
     * Writes the file (0600) in a 0700 etc folder, replacing it whole.
     *
     * @param etc the etc folder (created when missing)
     * @param user the console user
     * @param passwordHash the hash, or null to leave the password to the console (it then generates one)
     */
    public static void write(Path etc, String user, String passwordHash) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("# fluxrig Web Console credentials (configuration ").append(PID).append(").\n")
                .append("# The password is stored only as a PBKDF2 hash. Without password.hash the console\n")
                .append("# generates a password at start and writes it to ").append(GENERATED_PASSWORD).append(" in this folder.\n")
                .append(USER).append('=').append(user).append('\n');
        if (passwordHash != null) {
            text.append(PASSWORD_HASH).append('=').append(passwordHash).append('\n');
        }
        writePrivate(etc, FILE, text.toString());
    }

    /**
     * Writes a file only its owner can read (0600) in a 0700 folder, replacing it whole.
     *
     * @return the file
     */
    public static Path writePrivate(Path etc, String name, String text) throws IOException {
        if (!Files.isDirectory(etc)) {
            Files.createDirectories(etc, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = etc.resolve(name + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(text);
        }
        Path file = etc.resolve(name);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
