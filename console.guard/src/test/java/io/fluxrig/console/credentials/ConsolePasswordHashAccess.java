package io.fluxrig.console.credentials;

/** Test access to the package-private encoding, for hashes {@link ConsolePasswordHash#hash} refuses to make. */
public final class ConsolePasswordHashAccess {
    private ConsolePasswordHashAccess() {
    }

    public static String encode(String password, byte[] salt) {
        return ConsolePasswordHash.encode(ConsolePasswordHash.MIN_ITERATIONS, salt,
                ConsolePasswordHash.derive(password.toCharArray(), salt, ConsolePasswordHash.MIN_ITERATIONS));
    }
}
