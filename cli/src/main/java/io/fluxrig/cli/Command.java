package io.fluxrig.cli;

import java.io.IOException;
import java.util.List;

/**
 * One sub-command of the fluxrig CLI, registered in {@link Main}'s command table. An
 * implementation is stateless: everything it reads and writes goes through the {@link Console}
 * it is given, and it returns an exit code instead of exiting.
 */
public interface Command {
    /** Exit code: success. */
    int OK = 0;
    /** Exit code: the input was rejected. */
    int FAILED = 1;
    /** Exit code: wrong usage. */
    int USAGE = 2;

    /** @return the words that select the command, e.g. {@code "msg encode"} */
    String name();

    /** @return one line for the command list */
    String summary();

    /** @return the full help text, printed for {@code --help} */
    String help();

    /**
     * @param args the arguments after the command name
     * @param console the streams to use
     * @return the exit code
     * @throws IOException when a stream fails
     */
    int run(List<String> args, Console console) throws IOException;
}
