package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.SnakeCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of commands this rack has executed, with their results, in
 * {@code <rack data>/snake/commands.log} (one JSON line each, appended and forced to disk before
 * the result is reported). A command delivered again (after a reconnect, or because its report
 * was lost) is answered from here and never executed twice.
 *
 * <p>Window: a crash after a command's effect but before its line is on disk executes it again on
 * the next delivery; every command type is idempotent: a second renewal or a second fetch of
 * the same digest leaves the same state, and so do {@code install-bundle} (the same digest again
 * finds that content active: "already active") and {@code apply-patch} (the same digest again
 * finds that patch applied). Owned by the command thread; not thread-safe.
 */
final class CommandLedger {
    /** A command's outcome. @param status done, failed or refused @param detail what happened */
    record Result(String status, String detail) {
        /** @param id the command's id @return the result as sent to the Mixer */
        CommandResult message(String id) {
            return new CommandResult(id, status, detail);
        }
    }

    private static final int KEEP = 10_000;
    private final Path file;
    private final Map<String, Result> done = new LinkedHashMap<>();

    CommandLedger(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    CommandResult f = SnakeCodec.json().read(line.getBytes(StandardCharsets.UTF_8), CommandResult.class);
                    done.put(f.id(), new Result(f.status(), f.detail()));
                } catch (IOException torn) {
                    // a line cut by a crash: that command's effect is repeated on redelivery (see class doc)
                }
            }
        }
    }

    /** @param id a command id @return its recorded result, or null if never executed */
    Result get(String id) {
        return done.get(id);
    }

    /** Records an executed command (forced to disk before returning). */
    void record(String id, Result r) throws IOException {
        done.put(id, r);
        if (done.size() > KEEP) {
            compact();
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line(id, r)));
            ch.force(true);
        }
    }

    /** Keeps the newest half; the Mixer redelivers only unfinished commands, never ones this old. */
    private void compact() throws IOException {
        var it = done.entrySet().iterator();
        for (int drop = done.size() - KEEP / 2; drop > 0; drop--) {
            it.next();
            it.remove();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (var e : done.entrySet()) {
            all.writeBytes(line(e.getKey(), e.getValue()));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(all.toByteArray()));
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** One line: the {@link CommandResult} the Mixer was sent, as JSON. */
    private static byte[] line(String id, Result r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SnakeCodec.json().write(r.message(id)));
        out.write('\n');
        return out.toByteArray();
    }
}
