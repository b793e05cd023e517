package io.fluxrig.cli.console;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Misuse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import io.fluxrig.cli.Console;

/**
 * {@code console-credentials --data DIR [--user U] [--password P]}: prepares a rack's Web Console
 * credentials before the rack starts, so the console is never reachable with admin/admin, not
 * even for the first second.
 *
 * <p>Given a password, it stores its hash. Otherwise it reuses the stored hash, or at first start
 * generates a random password, prints it once on stderr and stores only its hash. Credentials
 * live in {@code DIR/console.credentials} (mode 0600). Prints two lines on stdout for the
 * launcher: the user name and the password hash.
 */
@Command(name = "console-credentials", description = {"prepare a rack's or the Mixer's Web Console credentials (used by run/fluxrig rack and mixer)",
        "Prints two lines for the launcher: the console user and the password hash for the data folder DIR.",
        "Without --password, the stored hash is reused; at first start a password is generated, printed once on "
                + "stderr and only its hash stored (DIR/console.credentials, mode 0600)."})
public final class ConsoleCredentialsCommand implements Callable<Integer>, Misuse.UnknownArgument {
    static final String FILE = "console.credentials";
    static final String DEFAULT_USER = "fluxrig";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final SecureRandom random = new SecureRandom();
    private final Console console;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "the rack's or Mixer's data folder")
    Path data;
    @Option(names = "--user", paramLabel = "U", description = "the console user (default: the stored one, else 'fluxrig')")
    String user;
    @Option(names = "--password", paramLabel = "P", description = "store the hash of P (at least 8 characters)")
    String password;

    @Spec
    CommandSpec spec;

    ConsoleCredentialsCommand(Console console) {
        this.console = console;
    }

    @Override
    public String unknown(String arg) {
        return "unknown argument '" + arg + "' (usage: console-credentials --data DIR [--user U] [--password P])";
    }

    @Override
    public Integer call() {
        if (password != null && password.length() < 8) {
            throw new ParameterException(spec.commandLine(), "--password must have at least 8 characters");
        }
        try {
            return prepare(data, user, password, console.out(), console.err());
        } catch (IOException e) {
            console.err().println("fluxrig console-credentials: " + data + ": " + e.getMessage());
            return Exit.FAILED;
        }
    }

    private int prepare(Path dir, String user, String password, PrintStream out, PrintStream err)
            throws IOException {
        Path file = dir.resolve(FILE);
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(r);
            }
        }
        String hash = stored.getProperty("password");
        String name = user != null ? user : stored.getProperty("user", DEFAULT_USER);
        if ("admin".equals(name) && password != null && password.equals("admin")) {
            err.println("fluxrig console-credentials: admin/admin is refused; choose another password");
            return Exit.USAGE;
        }
        if (password != null) {
            hash = ConsolePasswordHash.hash(password, random);
        } else if (hash == null || !hash.startsWith("{sha-256}")) {
            String generated = generate();
            hash = ConsolePasswordHash.hash(generated, random);
            err.println("fluxrig: Web Console user '" + name + "', password '" + generated
                    + "' (generated now and shown only once; stored hashed in " + file + ")");
        }
        if (!hash.equals(stored.getProperty("password")) || !name.equals(stored.getProperty("user"))) {
            write(dir, file, name, hash);
        }
        out.println(name);
        out.println(hash);
        return Exit.OK;
    }

    private String generate() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static void write(Path dir, Path file, String user, String hash) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# fluxrig rack Web Console credentials; the password is stored only as a hash.\n");
            w.write("# Change it with: run/fluxrig rack ... --console-password NEW\n");
            w.write("user=" + user + "\n");
            w.write("password=" + hash.replace("\\", "\\\\") + "\n");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
