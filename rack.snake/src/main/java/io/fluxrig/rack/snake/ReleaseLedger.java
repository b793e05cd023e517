package io.fluxrig.rack.snake;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.ReleaseTrust;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last release installed per name, in {@code <rack data>/snake/releases.json}: what the
 * sequence check compares with, so a replayed or older statement is refused also after a restart.
 * Written atomically and forced to disk (temporary file, rename) after each install, before the
 * command's result is reported.
 *
 * <p>Thread-safe: the command thread writes, the Snake thread reads for the inventory.
 */
final class ReleaseLedger {
    private static final ObjectMapper JSON = SnakeCodec.newMapper();
    private final Path file;
    private final Map<String, ReleaseTrust.Installed> installed = new TreeMap<>();
    private boolean loaded;

    /** @param file the ledger file, read on first use (never on a component's activation thread) */
    ReleaseLedger(Path file) {
        this.file = file;
    }

    /**
     * @param name a release name
     * @return the last one installed, or null
     * @throws IOException when the file exists and cannot be read: releases are then refused
     *         rather than checked against forgotten sequences
     */
    synchronized ReleaseTrust.Installed get(String name) throws IOException {
        load();
        return installed.get(name);
    }

    /** @return every name's last installed release @throws IOException as {@link #get} */
    synchronized Map<String, ReleaseTrust.Installed> all() throws IOException {
        load();
        return Map.copyOf(installed);
    }

    private void load() throws IOException {
        if (!loaded && Files.exists(file)) {
            installed.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, ReleaseTrust.Installed>>() {
            }));
        }
        loaded = true;
    }

    /**
     * Records an install. A signed downgrade keeps the highest sequence seen, so the releases
     * above it cannot be replayed afterwards either.
     */
    synchronized void record(String name, ReleaseTrust.Installed release) throws IOException {
        load();
        ReleaseTrust.Installed before = installed.get(name);
        long sequence = Math.max(release.sequence(), before == null ? 0 : before.sequence());
        installed.put(name, new ReleaseTrust.Installed(release.kind(), release.version(), sequence, release.digest()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(installed)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
