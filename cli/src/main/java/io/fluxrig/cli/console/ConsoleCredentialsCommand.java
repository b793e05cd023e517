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
import java.util.List;
import java.util.Properties;
import io.fluxrig.cli.Command;
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
public final class ConsoleCredentialsCommand implements Command {
    static final String FILE = "console.credentials";
    static final String DEFAULT_USER = "fluxrig";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final SecureRandom random;

    /** @param random source of generated passwords and salts */
    public ConsoleCredentialsCommand(SecureRandom random) {
        this.random = random;
    }

    @Override
    public String name() {
        return "console-credentials";
    }

    @Override
    public String summary() {
        return "prepare a rack's Web Console credentials (used by run/fluxrig rack)";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig console-credentials --data DIR [--user U] [--password P]
                  Prints the console user and password hash for a rack's data folder DIR.
                  --password P   store the hash of P (at least 8 characters)
                  --user U       the console user (default: the stored one, else 'fluxrig')
                  Without --password, the stored hash is reused; at first start a password is
                  generated, printed once on stderr and only its hash stored (DIR/console.credentials).""";
    }

    @Override
    public int run(List<String> args, Console console) {
        return run(args, console.out(), console.err());
    }

    /**
     * @param args the command's arguments
     * @param out receives the user and hash lines
     * @param err receives the generated password notice and errors
     * @return the exit code
     */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        String data = null;
        String user = null;
        String password = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size() && a.startsWith("--")) {
                err.println("fluxrig console-credentials: " + a + " needs a value");
                return 2;
            }
            switch (a) {
                case "--data" -> data = args.get(++i);
                case "--user" -> user = args.get(++i);
                case "--password" -> password = args.get(++i);
                default -> {
                    err.println("fluxrig console-credentials: unknown argument '" + a
                            + "' (usage: console-credentials --data DIR [--user U] [--password P])");
                    return 2;
                }
            }
        }
        if (data == null) {
            err.println("fluxrig console-credentials: --data DIR is required");
            return 2;
        }
        if (password != null && password.length() < 8) {
            err.println("fluxrig console-credentials: --password must have at least 8 characters");
            return 2;
        }
        try {
            return prepare(Path.of(data), user, password, out, err);
        } catch (IOException e) {
            err.println("fluxrig console-credentials: " + data + ": " + e.getMessage());
            return 1;
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
            return 2;
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
        return 0;
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
