package io.fluxrig.cli.console;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Misuse;
import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code console-credentials --data DIR [--user U] [--password-file F | --password-stdin]}: sets a
 * rack's or the Mixer's Web Console credentials in {@code DIR/etc/io.fluxrig.console.cfg} (mode
 * 0600), the configuration the console reads at its next start. The password never appears in a
 * command line: it is read from a file or from standard input, and only its PBKDF2 hash is stored.
 * Without a password the stored hash is kept; without any hash the console generates a password at
 * its next start and writes it to {@code DIR/etc/console.password} (0600).
 */
@Command(name = "console-credentials", description = {"set a rack's or the Mixer's Web Console user and password",
        "Stores the user and the PBKDF2 hash of the password in DIR/etc/io.fluxrig.console.cfg (mode 0600); the console "
                + "reads it at its next start. The password is read from --password-file or standard input, never from the "
                + "command line. Without a password the stored hash is kept; with none stored, the console generates a "
                + "password at its next start and writes it to DIR/etc/console.password (mode 0600)."})
public final class ConsoleCredentialsCommand implements Callable<Integer>, Misuse.UnknownArgument {
    private final Console console;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "the rack's or Mixer's data folder")
    Path data;
    @Option(names = "--user", paramLabel = "U", description = "the console user (default: the stored one, else 'fluxrig')")
    String user;
    @ArgGroup(exclusive = true)
    PasswordSource source;
    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Where the password comes from. */
    static final class PasswordSource {
        @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from the first line of FILE")
        Path file;
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean stdin;
    }

    ConsoleCredentialsCommand(Console console) {
        this.console = console;
    }

    @Override
    public String unknown(String arg) {
        return "unknown argument '" + arg + "' (usage: console-credentials --data DIR [--user U] [--password-file FILE | --password-stdin])";
    }

    @Override
    public Integer call() {
        char[] password = null;
        try {
            if (source != null) {
                password = source.file != null ? readPasswordFile(source.file) : firstLine(console.in());
                if (password == null) {
                    throw new ParameterException(spec.commandLine(), (source.file != null ? "--password-file " + source.file : "--password-stdin")
                            + ": no password (the first line is empty)");
                }
                String problem = ConsolePasswordHash.problem(password);
                if (problem != null) {
                    throw new ParameterException(spec.commandLine(), (source.file != null ? "--password-file" : "--password-stdin") + ": " + problem);
                }
            }
            Path file = store(data.toAbsolutePath().normalize(), user, password);
            ConsoleCredentialsFile.Stored stored = ConsoleCredentialsFile.read(file.getParent());
            if (json) {
                console.out().println("{\"user\":\"" + stored.user().replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"file\":\""
                        + file.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"password\":"
                        + (stored.passwordHash() != null ? "\"hashed\"" : "\"generated at next start\"") + "}");
            } else {
                console.out().println("console user '" + stored.user() + "' " + (stored.passwordHash() != null
                        ? "with a password hash" : "without a password (the console generates one at its next start)")
                        + " in " + file + " (mode 0600); in effect at the next start");
            }
            return Exit.OK;
        } catch (IOException e) {
            console.err().println("fluxrig console-credentials: " + data + ": " + e.getMessage());
            return Exit.FAILED;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * Stores console credentials of a data folder in its etc folder (0600).
     *
     * @param data the rack's or Mixer's data folder (absolute)
     * @param user the user, or null for the stored one (else {@value ConsoleCredentialsFile#DEFAULT_USER})
     * @param password the password (checked with {@link ConsolePasswordHash#problem}), or null to keep the stored hash
     * @return the configuration file
     * @throws IllegalArgumentException when the password may not be used
     */
    public static Path store(Path data, String user, char[] password) throws IOException {
        Path etc = data.resolve(ConsoleCredentialsFile.ETC);
        ConsoleCredentialsFile.Stored stored = ConsoleCredentialsFile.read(etc);
        String name = user != null ? user : stored != null ? stored.user() : ConsoleCredentialsFile.DEFAULT_USER;
        String hash = password != null ? ConsolePasswordHash.hash(password, new SecureRandom()) : stored != null ? stored.passwordHash() : null;
        if (stored == null || !name.equals(stored.user()) || password != null) {
            ConsoleCredentialsFile.write(etc, name, hash);
        }
        return etc.resolve(ConsoleCredentialsFile.FILE);
    }

    /**
     * @param file a file whose first line is a password
     * @return the password, or null when the first line is empty
     */
    public static char[] readPasswordFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return firstLine(in);
        }
    }

    private static char[] firstLine(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = r.readLine();
        return line == null || line.isEmpty() ? null : line.toCharArray();
    }
}
