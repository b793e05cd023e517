package io.fluxrig.iso8583;

import io.fluxrig.iso8583.internal.SpecReader;
import io.fluxrig.iso8583.internal.TreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where dialects come from: the built-in tables (themselves spec files in this bundle, read by
 * the same loader as a user's file) and spec files (JSON, or YAML for {@code .yaml}/{@code .yml}).
 * Every call reads and checks the table again; callers keep the {@link MessageSpec} they get.
 */
public final class Dialects {
    /** ISO 8583:1987, ASCII, hex-ASCII bitmap. */
    public static final String ISO87ASCII = "iso87ascii";
    /** ISO 8583:1987, packed BCD numerics and lengths, binary bitmap. */
    public static final String ISO87BINARY = "iso87binary";
    /** ISO 8583:1993, ASCII, hex-ASCII bitmap. */
    public static final String ISO93ASCII = "iso93ascii";

    private static final List<String> BUILT_IN = List.of(ISO87ASCII, ISO87BINARY, ISO93ASCII);

    private Dialects() {
    }

    /** @return the names of the built-in dialects */
    public static List<String> builtInNames() {
        return BUILT_IN;
    }

    /**
     * @param name a built-in dialect name
     * @return its spec
     * @throws IllegalArgumentException naming the built-in dialects when the name is unknown
     */
    public static MessageSpec builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("unknown dialect '" + name + "' (built in: " + String.join(", ", BUILT_IN) + ")");
        }
        try (InputStream in = Dialects.class.getResourceAsStream("dialects/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("built-in dialect " + name + " is missing from the bundle");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), false, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SpecException e) {
            throw new IllegalStateException("built-in dialect " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * @param file a spec file; {@code .yaml} and {@code .yml} are read as YAML, anything else as JSON
     * @return the spec
     * @throws IOException when the file cannot be read
     * @throws SpecException listing every problem of the spec
     */
    public static MessageSpec load(Path file) throws IOException, SpecException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = n.endsWith(".yaml") || n.endsWith(".yml");
        return parse(Files.readString(file, StandardCharsets.UTF_8), yaml, file.toString());
    }

    /**
     * @param text the spec document
     * @param yaml true for YAML, false for JSON
     * @param source where it came from, for the error message
     * @return the spec
     * @throws SpecException listing every problem, including a syntax error
     */
    public static MessageSpec parse(String text, boolean yaml, String source) throws SpecException {
        List<String> problems = new ArrayList<>();
        Object tree;
        try {
            tree = TreeReader.read(text, yaml, problems);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new SpecException(source, List.of("syntax error: " + msg));
        }
        MessageSpec spec = SpecReader.read(tree, problems);
        if (spec == null || !problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return spec;
    }
}
