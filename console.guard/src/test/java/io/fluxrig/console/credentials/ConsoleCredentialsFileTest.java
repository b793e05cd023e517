package io.fluxrig.console.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCredentialsFileTest {
    @TempDir
    Path data;

    @Test
    void writtenOwnerOnlyAndReadBack() throws Exception {
        Path etc = data.resolve("etc");
        assertNull(ConsoleCredentialsFile.read(etc));
        ConsoleCredentialsFile.write(etc, "ops", "pbkdf2-sha256$600000$AAAA$BBBB");
        assertEquals(new ConsoleCredentialsFile.Stored("ops", "pbkdf2-sha256$600000$AAAA$BBBB"), ConsoleCredentialsFile.read(etc));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ConsoleCredentialsFile.file(data))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(etc)));

        ConsoleCredentialsFile.write(etc, "ops2", null);
        assertEquals(new ConsoleCredentialsFile.Stored("ops2", null), ConsoleCredentialsFile.read(etc));
    }
}
