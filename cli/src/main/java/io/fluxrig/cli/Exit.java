package io.fluxrig.cli;

/** The exit codes of every fluxrig command. */
public final class Exit {
    /** Success. */
    public static final int OK = 0;
    /** The input was rejected, or the work did not succeed. */
    public static final int FAILED = 1;
    /** Wrong usage: an unknown or invalid option, a missing argument. */
    public static final int USAGE = 2;

    private Exit() {
    }
}
