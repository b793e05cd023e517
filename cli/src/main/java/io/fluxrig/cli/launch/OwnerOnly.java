package io.fluxrig.cli.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A data folder only its owner can enter (0700). A rack's, the Mixer's and the demo's folders hold
 * keys, tokens and the console's password hash, and the framework makes its cache and the
 * components their files inside with the process's umask; a folder others cannot enter keeps all of
 * them private, whatever a file's own mode. An existing folder is tightened, not refused. Stateless.
 */
final class OwnerOnly {
    private OwnerOnly() {
    }

    /**
     * @return {@code folder}, created if missing, mode 0700
     * @throws IOException naming the folder when it cannot be made or its mode changed (e.g. another user's)
     */
    static Path folder(Path folder) throws IOException {
        try {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            return folder;
        } catch (IOException e) {
            throw new IOException(folder + ": cannot make it a folder only its owner can enter (0700): " + e, e);
        }
    }
}
