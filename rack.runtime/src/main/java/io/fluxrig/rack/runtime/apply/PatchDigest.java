package io.fluxrig.rack.runtime.apply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digest naming a patch text in {@link PatchStatus}: {@code sha256:<hex>} of its UTF-8 bytes. Pure. */
public final class PatchDigest {
    private PatchDigest() {
    }

    /** @param text a patch text @return {@code sha256:<64 lower-case hex>} of its UTF-8 bytes */
    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @param bytes some bytes @return {@code sha256:<64 lower-case hex>} of them */
    public static String of(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
