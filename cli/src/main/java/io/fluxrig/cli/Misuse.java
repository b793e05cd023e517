package io.fluxrig.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reports wrong usage in one line naming the one argument that is wrong:
 * {@code fluxrig iso send: --connections 50 exceeds --count 10}, exit {@link Exit#USAGE}. Handles
 * picocli's parse errors and the {@link ParameterException}s commands throw from their own checks.
 * A command implementing {@link UsageOnMisuse} also gets its usage printed after the line.
 */
public final class Misuse implements CommandLine.IParameterExceptionHandler {
    /** Marks a command whose usage is printed after a misuse (its options are many, or easily mixed up). */
    public interface UsageOnMisuse {
    }

    /** Lets a command word the message for an argument it does not know. */
    public interface UnknownArgument {
        /** @return the message for {@code arg} */
        String unknown(String arg);
    }

    private final Console console;

    Misuse(Console console) {
        this.console = console;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        console.err().println(cl.getCommandSpec().qualifiedName() + ": " + describe(ex));
        if (cl.getCommand() instanceof UsageOnMisuse) {
            cl.usage(console.err());
        }
        return Exit.USAGE;
    }

    static String describe(ParameterException ex) {
        CommandLine cl = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.get(0);
            if (cl.getCommand() instanceof UnknownArgument w) {
                return w.unknown(first);
            }
            if (first.startsWith("-")) {
                return "unknown option " + first;
            }
            if (!cl.getSubcommands().isEmpty()) {
                return "unknown command: " + String.join(" ", unmatched);
            }
            return "unexpected argument " + String.join(" ", unmatched);
        }
        String msg = ex.getMessage() == null ? "" : ex.getMessage();
        ArgSpec arg = ex.getArgSpec();
        if (ex instanceof CommandLine.MissingParameterException m && m.getMissing() != null && !m.getMissing().isEmpty()) {
            arg = m.getMissing().get(0);
        }
        if (msg.startsWith("Missing required parameter for option") && arg instanceof OptionSpec o) {
            return o.longestName() + " needs a value";
        }
        if (msg.startsWith("Missing required option") && arg instanceof OptionSpec o) {
            return o.longestName() + " " + o.paramLabel() + " is required";
        }
        if (msg.startsWith("Missing required parameter") && arg != null) {
            return arg.paramLabel() + " is missing";
        }
        if (msg.startsWith("Invalid value") && arg instanceof OptionSpec o && isNumber(o.type())) {
            return "not a number: " + o.longestName() + " '" + ex.getValue() + "'";
        }
        if (msg.startsWith("Invalid value") && arg instanceof OptionSpec o) {
            return o.longestName() + ": " + msg.substring(msg.indexOf(':') + 1).strip();
        }
        return msg;
    }

    private static boolean isNumber(Class<?> type) {
        return type == int.class || type == long.class || type == double.class || Number.class.isAssignableFrom(type);
    }
}
