package io.fluxrig.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Reports a command that could not do its work ({@code fluxrig COMMAND: reason}), exit
 * {@link Exit#FAILED}. An {@link IOException} is an expected failure (a file, a server); anything
 * else is a bug and also gets its stack trace.
 */
public final class Failure implements CommandLine.IExecutionExceptionHandler {
    private final Console console;

    Failure(Console console) {
        this.console = console;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        if (ex instanceof IOException) {
            console.err().println(cl.getCommandSpec().qualifiedName() + ": " + (ex.getMessage() != null ? ex.getMessage() : reason(ex)));
        } else {
            console.err().println(cl.getCommandSpec().qualifiedName() + ": internal error: " + ex);
            ex.printStackTrace(console.err());
        }
        return Exit.FAILED;
    }

    /**
     * @param e a failure of a network or file operation
     * @return a plain description; the JDK gives a refused connection no message at all
     */
    public static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused (is it running, and is the address right?)";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "no answer within the connect timeout";
            }
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
