package io.fluxrig.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * The fluxrig command line: {@link Fluxrig} and its subcommands, parsed by picocli. Commands get
 * their streams as a {@link Console} through their constructor (the {@link Factory} below), so
 * tests run them in-process with in-memory streams. Misuse is reported by {@link Misuse}, a
 * command's failure by {@link Failure}. Only {@link #main(String[])} exits the JVM.
 */
public final class Main {
    private Main() {
    }

    /** @param args command line arguments */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * @param args command line arguments
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @return the exit code ({@link Exit})
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, new Console(in, out, err));
    }

    /**
     * @param args command line arguments
     * @param console the streams and environment the commands use
     * @return the exit code ({@link Exit})
     */
    public static int run(String[] args, Console console) {
        PrintStream out = console.out();
        PrintStream err = console.err();
        int code = commandLine(console).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * @param console the streams every command uses
     * @return the command tree, ready to execute
     */
    public static CommandLine commandLine(Console console) {
        CommandLine cl = new CommandLine(new Fluxrig(console), new Factory(console));
        cl.setOut(new PrintWriter(console.out(), true));
        cl.setErr(new PrintWriter(console.err(), true));
        cl.setParameterExceptionHandler(new Misuse(console));
        cl.setExecutionExceptionHandler(new Failure(console));
        cl.setUsageHelpWidth(100);
        HelpLayout.apply(cl);
        return cl;
    }

    /** Creates commands with a {@link Console} constructor when they have one. */
    private record Factory(Console console) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> c = type.getDeclaredConstructor(Console.class);
                c.setAccessible(true);
                return c.newInstance(console);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
