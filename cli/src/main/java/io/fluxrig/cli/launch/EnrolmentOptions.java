package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How a rack gets its one-time enrolment token and the Mixer CA's hash (a picocli mixin for
 * {@code rack}). The token never comes from an argument: arguments are visible to every local user
 * in {@code ps} and {@code /proc/PID/cmdline} while the launcher runs, and stay in the shell's
 * history. It comes from the 0600 file {@code fluxrig token --token-file} wrote, from the output of
 * {@code fluxrig token --json} on standard input ({@code --token-file -}), or typed at a prompt
 * ({@code --token} alone: not echoed on a terminal).
 *
 * <p>Why not picocli's {@code interactive} option: it reads {@code System.console()} or
 * {@code System.in} itself, not the command's {@link Console}, and with {@code arity = "0..1"} it
 * silently takes a value given on the command line, which is exactly what must be refused.
 * Used on the CLI's one thread.
 */
final class EnrolmentOptions {
    /** The safer ways, named by every refusal of a token argument. */
    static final String SAFER = "give --token alone to type it at a prompt (not echoed), --token-file FILE (written 0600 by "
            + "'fluxrig token --token-file FILE'), or --token-file - to read the output of 'fluxrig token --json' from standard input";
    /** A typed token longer than this is no token (tokens are 40-odd characters). */
    private static final int MAX_TYPED = 4096;

    /** Hidden from the option list (picocli would show it as taking a value); the command's description tells it. */
    @Option(names = "--token", arity = "0..1", fallbackValue = "", hidden = true,
            description = "type the one-time enrolment token (fluxrig token --show) at a prompt, not echoed on a terminal (without "
                    + "one: the first line of standard input); a token after --token is refused, since arguments are visible in ps "
                    + "and kept in the shell's history; ignored once enrolled")
    String token;
    @Option(names = "--ca-hash", paramLabel = "sha256:HEX", description = "the Mixer CA's hash the token command printed")
    String caHash;
    @Option(names = "--token-file", paramLabel = "FILE|-", description = "the file 'fluxrig token --token-file FILE' wrote (or the "
            + "output of 'fluxrig token --json'), holding the token and the CA hash; '-': that JSON on standard input")
    Path tokenFile;

    /**
     * The token and the CA hash to enrol with.
     *
     * @param token the token, or null when none was given (a rack already enrolled, or not managed)
     * @param caHash the CA hash, or null
     */
    record Enrolment(String token, String caHash) {
    }

    /** @return true when one of the options was given (they go with {@code --mixer}) */
    boolean given() {
        return token != null || caHash != null || tokenFile != null;
    }

    /** @return the option given, for a message that it goes with another one */
    String firstGiven() {
        return token != null ? "--token" : caHash != null ? "--ca-hash" : "--token-file";
    }

    /**
     * Reads the token from where the options say: the file, standard input or the prompt.
     *
     * @param rack the rack's name, for the prompt
     * @return the token (or null) and the CA hash (or null)
     * @throws ParameterException naming the option when the options are misused or no token was typed; never quoting a token
     * @throws IOException when the token file cannot be read or is not the token command's output
     */
    Enrolment read(CommandSpec spec, Console console, String rack) throws IOException {
        if (token != null && !token.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--token takes no value: a token on the command line is visible to other "
                    + "users in ps and /proc/PID/cmdline and stays in the shell's history; " + SAFER);
        }
        if (tokenFile != null) {
            if (token != null || caHash != null) {
                throw new ParameterException(spec.commandLine(), "--token-file holds the token and the CA hash: give it without "
                        + "--token and --ca-hash");
            }
            String[] t = "-".equals(tokenFile.toString())
                    ? TokenFile.parse(new String(console.readAllInput(), StandardCharsets.UTF_8), "--token-file - (standard input)")
                    : TokenFile.read(tokenFile);
            return new Enrolment(t[0], t[1]);
        }
        if (token == null) {
            return new Enrolment(null, caHash);
        }
        if (caHash == null) {
            throw new ParameterException(spec.commandLine(), "--token goes with --ca-hash sha256:HEX (the hash 'fluxrig token --show' "
                    + "printed), or give --token-file");
        }
        String typed = prompt(console, "enrolment token for rack " + rack + ":");
        if (typed.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--token: no token typed; " + SAFER);
        }
        return new Enrolment(typed, caHash);
    }

    /**
     * On a terminal (this process's own standard input and output), the JDK console reads without
     * echo; otherwise (a pipe, a file, a test's streams) a whole line on stderr says what is read,
     * so that a log holding it stays line by line, and the first line of standard input is the answer.
     */
    private static String prompt(Console console, String prompt) throws IOException {
        java.io.Console tty = System.console();
        if (tty != null && console.in() == System.in) {
            char[] typed = tty.readPassword("%s ", prompt);
            try {
                return typed == null ? "" : new String(typed).strip();
            } finally {
                if (typed != null) {
                    Arrays.fill(typed, '\0');
                }
            }
        }
        console.err().println(prompt + " reading one line of standard input");
        return firstLine(console.in()).strip();
    }

    /** @return the first line of {@code in}, read byte by byte so that nothing after it is consumed */
    private static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (line.size() == MAX_TYPED) {
                throw new IOException("--token: the line typed is longer than " + MAX_TYPED + " characters; no token is");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
