package io.fluxrig.cli.mixer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Operator contexts, as kubectl's kubeconfig or the nats CLI's contexts: each one names a Mixer's
 * API address, the CA that signed its certificate and the file holding the operator token, so the
 * operator commands need no {@code --api}/{@code --data} on every call. One file per context,
 * {@code <config>/contexts/NAME.properties} (keys {@code api}, {@code ca}, {@code token.file}),
 * and the selected one's name in {@code <config>/context}. The token itself stays in its own
 * 0600 file; a context only points at it. Config folder: {@code $FLUXRIG_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/fluxrig}, else {@code ~/.config/fluxrig}. Not thread-safe; one per command run.
 */
final class Contexts {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    /**
     * @param name the context's name
     * @param api the Mixer's operator API, e.g. {@code https://127.0.0.1:8443}
     * @param ca the Mixer CA certificate (PEM)
     * @param tokenFile the file holding the operator token
     */
    record Context(String name, String api, Path ca, Path tokenFile) {
    }

    private final Path dir;

    Contexts(Path dir) {
        this.dir = dir;
    }

    /** @return the config folder the environment names */
    static Contexts from(Map<String, String> env) {
        String own = env.get("FLUXRIG_CONFIG");
        if (own != null && !own.isBlank()) {
            return new Contexts(Path.of(own));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new Contexts(base.resolve("fluxrig"));
    }

    Path dir() {
        return dir;
    }

    private Path file(String name) {
        return dir.resolve("contexts").resolve(name + ".properties");
    }

    /** @return every context by name */
    Map<String, Context> list() throws IOException {
        Map<String, Context> all = new TreeMap<>();
        Path folder = dir.resolve("contexts");
        if (!Files.isDirectory(folder)) {
            return all;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.properties")) {
            for (Path f : files) {
                String name = f.getFileName().toString().replaceFirst("\\.properties$", "");
                all.put(name, read(name));
            }
        }
        return all;
    }

    /** @throws IOException naming the file when the context does not exist or lacks a key */
    Context read(String name) throws IOException {
        Path f = file(name);
        if (!Files.isRegularFile(f)) {
            throw new IOException("no context '" + name + "' (" + f + "); add one with: fluxrig context add " + name + " --api URL --data MIXER_DATA");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        for (String key : new String[] {"api", "ca", "token.file"}) {
            if (p.getProperty(key, "").isBlank()) {
                throw new IOException(f + ": '" + key + "' is missing");
            }
        }
        return new Context(name, p.getProperty("api"), Path.of(p.getProperty("ca")), Path.of(p.getProperty("token.file")));
    }

    void write(Context c) throws IOException {
        Files.createDirectories(dir.resolve("contexts"));
        Path f = file(c.name());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# fluxrig operator context: the Mixer's API, its CA, and the file holding the operator token\n");
            w.write("api=" + c.api() + "\n");
            w.write("ca=" + escape(c.ca().toAbsolutePath().normalize()) + "\n");
            w.write("token.file=" + escape(c.tokenFile().toAbsolutePath().normalize()) + "\n");
        }
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(Path p) {
        return p.toString().replace("\\", "\\\\");
    }

    /** @return the selected context's name, if one is selected */
    Optional<String> selected() throws IOException {
        Path f = dir.resolve("context");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String name = Files.readString(f).strip();
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    void select(String name) throws IOException {
        read(name); // it must exist
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("context"), name + "\n");
    }
}
