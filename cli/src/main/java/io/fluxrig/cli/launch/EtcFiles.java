package io.fluxrig.cli.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The configuration files a launcher writes into a rack's or the Mixer's {@code etc/} folder
 * (Karaf-style {@code PID.cfg}, read by FileInstall into ConfigAdmin). A file is written whole only
 * when it is missing; afterwards the file is the setting, and a user's edit is kept: only an option
 * the user gives again, with another value, changes its one line (said on stderr). Stateless.
 */
final class EtcFiles {
    /**
     * One setting.
     *
     * @param key the configuration key
     * @param value its value, or null to leave it out
     * @param option the command-line option the user gave it with, or null for a default
     */
    record Setting(String key, Object value, String option) {
        static Setting given(String key, Object value, String option) {
            return new Setting(key, value, value == null ? null : option);
        }

        static Setting byDefault(String key, Object value) {
            return new Setting(key, value, null);
        }
    }

    private EtcFiles() {
    }

    /**
     * Writes {@code file} with the settings when it is missing; otherwise sets the lines of the
     * options given with another value than the file's, and leaves everything else as it is.
     */
    static void ensure(Path file, String writer, List<Setting> settings) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            StringBuilder text = new StringBuilder("# Written by " + writer + " at first start. Edit it here (a Web Console edit "
                    + "lasts until the next start); only an option given again with another value changes its line.\n");
            for (Setting s : settings) {
                if (s.value() != null) {
                    text.append(s.key()).append('=').append(escape(s.value().toString())).append('\n');
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        boolean changed = false;
        for (Setting s : settings) {
            String have = p.getProperty(s.key());
            if (s.option() == null || (have != null && have.strip().equals(s.value().toString()))) {
                continue;
            }
            String line = s.key() + "=" + escape(s.value().toString());
            int at = indexOf(lines, s.key());
            if (at < 0) {
                lines.add(line);
            } else {
                lines.set(at, line);
            }
            changed = true;
            System.err.println("fluxrig: " + s.option() + " " + s.value() + ": " + file + " now says " + line
                    + (have == null ? "" : " (was " + have.strip() + ")"));
        }
        if (changed) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @return the line that sets {@code key} (the last one, as Properties reads it), or -1 */
    private static int indexOf(List<String> lines, String key) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).stripLeading();
            if (l.startsWith(key) && l.substring(key.length()).stripLeading().matches("^[=:].*|^$")) {
                return i;
            }
        }
        return -1;
    }

    /** Backslashes and leading blanks as java.util.Properties (and FileInstall) read them. */
    private static String escape(String v) {
        return v.replace("\\", "\\\\");
    }
}
