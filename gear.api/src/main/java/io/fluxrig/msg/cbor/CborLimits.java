package io.fluxrig.msg.cbor;

/**
 * Immutable decoding limits for {@link FluxMsgCbor}. The encoder applies the same nesting limit,
 * so that everything it writes can be read back.
 *
 * @param maxDepth the deepest container nesting accepted, counting the envelope map as 1 and the
 *     {@code data} map as 2; between 3 and {@link #MAX_DEPTH_CAP}
 * @param maxBytes the largest envelope accepted, in bytes; at least 1
 */
public record CborLimits(int maxDepth, int maxBytes) {
    /** The default: 32 levels, 2 MiB. */
    public static final CborLimits DEFAULT = new CborLimits(32, 2 * 1024 * 1024);

    /**
     * Upper bound for {@link #maxDepth()}: decoding recurses once per level, and this bound keeps
     * that recursion far from any thread's stack size.
     */
    public static final int MAX_DEPTH_CAP = 512;

    /** Checks the bounds. */
    public CborLimits {
        if (maxDepth < 3 || maxDepth > MAX_DEPTH_CAP) {
            throw new IllegalArgumentException("maxDepth must be 3.." + MAX_DEPTH_CAP + ": " + maxDepth);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
    }

    /** @param depth the new nesting limit @return a copy with that limit */
    public CborLimits withMaxDepth(int depth) {
        return new CborLimits(depth, maxBytes);
    }

    /** @param bytes the new size limit @return a copy with that limit */
    public CborLimits withMaxBytes(int bytes) {
        return new CborLimits(maxDepth, bytes);
    }
}
