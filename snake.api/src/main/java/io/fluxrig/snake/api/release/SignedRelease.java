package io.fluxrig.snake.api.release;

/**
 * A release statement with its detached signature: the content of a {@code FILE.sig} written by
 * {@code fluxrig release sign}, and (as compact JSON through the contract's codec) the
 * {@value #ARG} argument of an {@code install-bundle} or {@code apply-patch} command. The Mixer
 * carries it and cannot forge it; the rack checks it before anything is installed.
 *
 * @param statement what was signed
 * @param key the signer's key id ({@link PublisherKeys#id})
 * @param signature base64 of the Ed25519 signature over {@link ReleaseStatement#canonical()}
 */
public record SignedRelease(ReleaseStatement statement, String key, String signature) {
    /** The command argument carrying the signed release as JSON. */
    public static final String ARG = "release";
    /** The file name suffix of a detached signature beside its artifact. */
    public static final String SUFFIX = ".sig";
}
