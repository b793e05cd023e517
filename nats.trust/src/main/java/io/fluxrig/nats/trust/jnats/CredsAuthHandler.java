package io.fluxrig.nats.trust.jnats;

import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.NKeyPair;
import io.nats.client.AuthHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * jnats authentication from a {@code .creds} file, signing the server's nonce with the JDK's
 * Ed25519 ({@link NKeyPair}), so a bundle embedding jnats needs no BouncyCastle. The file is read
 * again at every connect and reconnect: a renewed credential written in its place (atomically,
 * {@link Creds#write}) is used from the next connection on. The one class of this library that
 * needs jnats (its own package, so a bundle without jnats can embed the rest).
 *
 * <p>Threading: jnats calls it from its connect thread; each call reads the file on its own.
 */
public final class CredsAuthHandler implements AuthHandler {
    private final Path file;

    public CredsAuthHandler(Path file) {
        this.file = file;
    }

    private Creds creds() {
        try {
            return Creds.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("NATS credentials " + file + " unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] sign(byte[] nonce) {
        char[] seed = creds().seed();
        try {
            return NKeyPair.fromSeed(new String(seed)).sign(nonce);
        } finally {
            Arrays.fill(seed, ' ');
        }
    }

    @Override
    public char[] getID() {
        char[] seed = creds().seed();
        try {
            return NKeyPair.fromSeed(new String(seed)).publicKey().toCharArray();
        } finally {
            Arrays.fill(seed, ' ');
        }
    }

    @Override
    public char[] getJWT() {
        return creds().jwt().toCharArray();
    }

    /** @return the creds file */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "NATS credentials " + file;
    }
}
