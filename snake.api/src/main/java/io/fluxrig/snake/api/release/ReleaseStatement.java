package io.fluxrig.snake.api.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fluxrig.snake.api.ArtifactDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * What a publisher vouches for when signing a release: one artifact, named and numbered. The
 * signature covers {@link #canonical()}, the one byte form of a statement, never the JSON it
 * travels in, so neither end depends on a JSON writer's field order or spacing:
 * <pre>
 * fluxrig-release-statement/1\n
 * kind=bundle\n
 * name=io.fluxrig.gear.json\n
 * version=1.0.0\n
 * digest=sha256:&lt;64 hex&gt;\n
 * size=12345\n
 * sequence=7\n
 * not-after=2026-12-31T00:00:00Z\n
 * allow-downgrade=false\n
 * </pre>
 * UTF-8, one {@code key=value} line each, in this order, every line ending with {@code \n}.
 * Every field has a rule ({@link #problem()}) that keeps it on one line without {@code =}, so
 * two different statements never share a canonical form.
 *
 * @param kind {@value #BUNDLE} or {@value #PATCH}
 * @param name what the sequence counts for: a bundle's symbolic name, or a patch's name chosen by
 *        the publisher (e.g. {@code edge})
 * @param version a bundle's version (must match its manifest); free text for a patch
 * @param digest the artifact's {@link ArtifactDigest}
 * @param size the artifact's length in bytes
 * @param sequence a number the publisher raises with every release of {@code name}; a rack takes
 *        only a sequence above the last it installed for that name (no replay, no downgrade)
 * @param notAfter ISO-8601 UTC instant in whole seconds ({@code 2026-12-31T00:00:00Z}) after which
 *        racks refuse the statement
 * @param allowDowngrade the publisher permits installing this release although its sequence is
 *        not above the rack's last one (a deliberate rollback)
 */
public record ReleaseStatement(String kind, String name, String version, String digest, long size, long sequence,
        @JsonProperty("not-after") String notAfter, @JsonProperty("allow-downgrade") boolean allowDowngrade) {
    /** A gear bundle (an OSGi jar). */
    public static final String BUNDLE = "bundle";
    /** A rack patch (YAML text). */
    public static final String PATCH = "patch";
    /** The first line of every canonical statement: the format and its version. */
    public static final String HEADER = "fluxrig-release-statement/1";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}");

    /**
     * @return why this statement is not well-formed, naming the field ({@code release.sequence: ...}),
     *         or null when every field follows its rule
     */
    public String problem() {
        if (!BUNDLE.equals(kind) && !PATCH.equals(kind)) {
            return "release.kind: '" + kind + "' must be " + BUNDLE + " or " + PATCH;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            return "release.name: '" + name + "' must be 1 to 255 of A-Z a-z 0-9 _ . - (a bundle's symbolic name)";
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            return "release.version: '" + version + "' must be 1 to 64 of A-Z a-z 0-9 _ . + -";
        }
        if (!ArtifactDigest.valid(digest)) {
            return "release.digest: '" + digest + "' must be " + ArtifactDigest.RULE;
        }
        if (size < 0) {
            return "release.size: " + size + " must not be negative";
        }
        if (sequence < 1) {
            return "release.sequence: " + sequence + " must be 1 or more";
        }
        if (notAfter == null) {
            return "release.not-after: missing (an ISO-8601 UTC instant such as 2026-12-31T00:00:00Z)";
        }
        try {
            Instant t = Instant.parse(notAfter);
            if (!t.truncatedTo(ChronoUnit.SECONDS).toString().equals(notAfter)) {
                throw new DateTimeParseException("not canonical", notAfter, 0);
            }
        } catch (DateTimeParseException e) {
            return "release.not-after: '" + notAfter + "' must be an ISO-8601 UTC instant in whole seconds, "
                    + "e.g. 2026-12-31T00:00:00Z";
        }
        return null;
    }

    /** @return {@link #notAfter} as an instant @throws IllegalArgumentException when it is not well-formed */
    public Instant notAfterInstant() {
        requireValid();
        return Instant.parse(notAfter);
    }

    /**
     * @return the bytes a signature covers (see the class documentation)
     * @throws IllegalArgumentException naming the field when the statement is not well-formed
     */
    public byte[] canonical() {
        requireValid();
        String text = HEADER + "\n"
                + "kind=" + kind + "\n"
                + "name=" + name + "\n"
                + "version=" + version + "\n"
                + "digest=" + digest + "\n"
                + "size=" + size + "\n"
                + "sequence=" + sequence + "\n"
                + "not-after=" + notAfter + "\n"
                + "allow-downgrade=" + allowDowngrade + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** @param t an instant @return it in the form {@link #notAfter} takes (whole seconds, UTC) */
    public static String instant(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private void requireValid() {
        String p = problem();
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
    }
}
