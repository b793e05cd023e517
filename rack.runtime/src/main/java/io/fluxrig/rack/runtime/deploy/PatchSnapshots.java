package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.runtime.apply.PatchDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Numbered snapshots of the patches this rack applied through its {@link PatchApplier}, kept so
 * that an application can be undone exactly: {@code <folder>/<N>.yaml} (the patch text) and
 * {@code <folder>/<N>.properties} (its digest, the artifact's name, what signed it, when, which
 * snapshot it replaced, or {@value #NONE} when there was no patch, and what its last application
 * did: {@value #CHANGED}, {@value #UNCHANGED} when it was in place already, {@value #UNDONE} once
 * restored). Numbers grow by one from 1; only the newest {@code keep} are kept. A patch that was in
 * place before the first snapshot (written by hand, or the patch of a rack started with one) is
 * snapshotted too when an application replaces it, as found ({@code signedBy} says so). The folder
 * is {@code <rack data>/deploy/patches/}, beside the bundle records and outside the FileInstall
 * folder.
 *
 * <p>Not thread-safe: used by the {@link PatchApplier} on the Snake's command thread only.
 */
final class PatchSnapshots {
    /** The replaced patch: there was none. */
    static final String NONE = "none";
    /** The last application of this snapshot's patch changed the rack's patch. */
    static final String CHANGED = "changed";
    /** The last application found this patch in place already. */
    static final String UNCHANGED = "unchanged";
    /** The last application was undone. */
    static final String UNDONE = "undone";

    /**
     * One snapshot.
     *
     * @param number its number
     * @param digest {@code sha256:<hex>} of its text
     * @param name the artifact's label when applied
     * @param signedBy what signed it
     * @param at when it was applied
     * @param replaced the number of the snapshot it replaced, or {@value #NONE}
     * @param last {@value #CHANGED}, {@value #UNCHANGED} or {@value #UNDONE}
     */
    record Snapshot(int number, String digest, String name, String signedBy, Instant at, String replaced, String last) {
    }

    private final Path dir;
    private final int keep;

    /**
     * @param dir the folder
     * @param keep how many snapshots to keep (2 or more: the newest and the one it replaced)
     */
    PatchSnapshots(Path dir, int keep) {
        if (keep < 2) {
            throw new IllegalArgumentException("keep: " + keep + " must be 2 or more");
        }
        this.dir = dir;
        this.keep = keep;
    }

    /**
     * Records an application that changed the rack's patch.
     *
     * @param text the applied text
     * @param label the artifact's label
     * @param signedBy what signed it
     * @param previous the patch file's content before, or null when there was none
     * @return the new snapshot
     */
    Snapshot changed(String text, String label, String signedBy, byte[] previous) throws IOException {
        String replaced = NONE;
        if (previous != null) {
            String was = PatchDigest.of(previous);
            Optional<Snapshot> known = newest(was);
            replaced = Integer.toString(known.isPresent() ? known.get().number()
                    : write(new String(previous, java.nio.charset.StandardCharsets.UTF_8), was, "the patch file in place",
                            "not recorded (in place before it was replaced)", NONE, CHANGED).number());
        }
        Snapshot s = write(text, PatchDigest.of(text), label, signedBy, replaced, CHANGED);
        prune();
        return s;
    }

    /**
     * Records an application that found the same patch in place: undoing it changes nothing.
     * The newest snapshot of that text says so; a text applied before any snapshot was kept
     * gets one.
     */
    void unchanged(String text, String label, String signedBy) throws IOException {
        Optional<Snapshot> s = newest(PatchDigest.of(text));
        if (s.isPresent()) {
            mark(s.get(), UNCHANGED);
        } else {
            write(text, PatchDigest.of(text), label, signedBy, NONE, UNCHANGED);
            prune();
        }
    }

    /** @return the newest snapshot of the text with this digest, if one is kept */
    Optional<Snapshot> newest(String digest) throws IOException {
        return all().stream().filter(s -> s.digest().equals(digest)).max(Comparator.comparingInt(Snapshot::number));
    }

    /** @return the snapshot with this number, if it is still kept */
    Optional<Snapshot> get(int number) throws IOException {
        return all().stream().filter(s -> s.number() == number).findFirst();
    }

    /** @return a snapshot's text */
    String text(Snapshot s) throws IOException {
        return Files.readString(dir.resolve(s.number() + ".yaml"));
    }

    /** Sets what the snapshot's last application did ({@value #UNDONE} once restored). */
    void mark(Snapshot s, String last) throws IOException {
        store(new Snapshot(s.number(), s.digest(), s.name(), s.signedBy(), s.at(), s.replaced(), last));
    }

    /** @return every kept snapshot, oldest first */
    List<Snapshot> all() throws IOException {
        List<Snapshot> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.properties")) {
            for (Path f : ds) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(f)) {
                    p.load(in);
                }
                out.add(new Snapshot(Integer.parseInt(p.getProperty("number")), p.getProperty("digest"), p.getProperty("name"),
                        p.getProperty("signedBy"), Instant.parse(p.getProperty("at")), p.getProperty("replaced"), p.getProperty("last")));
            }
        }
        out.sort(Comparator.comparingInt(Snapshot::number));
        return out;
    }

    private Snapshot write(String text, String digest, String label, String signedBy, String replaced, String last)
            throws IOException {
        Files.createDirectories(dir);
        List<Snapshot> all = all();
        int number = all.isEmpty() ? 1 : all.get(all.size() - 1).number() + 1;
        Path tmp = dir.resolve(number + ".yaml.new");
        Files.writeString(tmp, text);
        Files.move(tmp, dir.resolve(number + ".yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Snapshot s = new Snapshot(number, digest, label, signedBy == null ? "unsigned" : signedBy, Instant.now(), replaced, last);
        store(s); // the record last: a snapshot without its text is never listed
        return s;
    }

    private void store(Snapshot s) throws IOException {
        Properties p = new Properties();
        p.setProperty("number", Integer.toString(s.number()));
        p.setProperty("digest", s.digest());
        p.setProperty("name", s.name());
        p.setProperty("signedBy", s.signedBy());
        p.setProperty("at", s.at().toString());
        p.setProperty("replaced", s.replaced());
        p.setProperty("last", s.last());
        Path tmp = dir.resolve(s.number() + ".properties.new");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "patch snapshot " + s.number() + ": used to undo the application that replaced it");
        }
        Files.move(tmp, dir.resolve(s.number() + ".properties"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Drops the oldest snapshots beyond {@code keep}: record first, then text. */
    private void prune() throws IOException {
        List<Snapshot> all = all();
        for (Snapshot s : all.subList(0, Math.max(0, all.size() - keep))) {
            Files.deleteIfExists(dir.resolve(s.number() + ".properties"));
            Files.deleteIfExists(dir.resolve(s.number() + ".yaml"));
        }
    }
}
