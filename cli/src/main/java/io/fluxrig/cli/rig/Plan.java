package io.fluxrig.cli.rig;

import io.fluxrig.snake.api.rollout.RackSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The difference between a {@link RigFile} and what each rack reports (its inventory): per rack,
 * per bundle and for the patch, whether it is in place ({@value #SAME}) or what would change it
 * ({@value #INSTALL}, {@value #UPDATE}, {@value #APPLY}). Pure logic over the records given: the
 * commands read the fleet from the Mixer and hand it in.
 *
 * <p>A bundle is in place when the rack runs a bundle of that symbolic name and an archive with
 * exactly the file's sha-256; a patch when the rack's applied patch has the file's sha-256.
 *
 * @param rig the rig file
 * @param racks per selected rack (sorted by entry, then name), its changes
 */
public record Plan(RigFile rig, List<RackPlan> racks) {
    /** Nothing to do for this file on this rack. */
    public static final String SAME = "same";
    /** A bundle the rack does not have. */
    public static final String INSTALL = "install";
    /** A bundle the rack runs in another release. */
    public static final String UPDATE = "update";
    /** A patch other than the rack's. */
    public static final String APPLY = "apply";

    /**
     * A rack as the Mixer reports it.
     *
     * @param name its name
     * @param labels its labels
     * @param state pending, online or offline
     * @param bundles symbolic name to version of every bundle it runs
     * @param digests the digests of its bundle archives
     * @param patch the digest of its applied patch, or null when it reports none
     */
    public record RackView(String name, Map<String, String> labels, String state, Map<String, String> bundles, Set<String> digests,
            String patch) {
    }

    /**
     * One file's difference on one rack.
     *
     * @param artifact the file
     * @param action {@value #SAME}, {@value #INSTALL}, {@value #UPDATE} or {@value #APPLY}
     * @param now what the rack runs now (a version, a patch digest), or null
     */
    public record Change(Artifact artifact, String action, String now) {
        /** @return whether the rack would change */
        public boolean changes() {
            return !SAME.equals(action);
        }
    }

    /**
     * @param rack the rack
     * @param entry the rig entry selecting it
     * @param state its registry state
     * @param changes per file of the entry, in the entry's order (bundles, then the patch)
     */
    public record RackPlan(String rack, RigFile.Entry entry, String state, List<Change> changes) {
        /** @return how many files would change on this rack */
        public long changeCount() {
            return changes.stream().filter(Change::changes).count();
        }
    }

    /**
     * @param rig the desired state
     * @param fleet every registered, unrevoked rack
     * @return the difference
     * @throws RigFile.RigException when an entry selects no rack, or two entries select one rack
     */
    public static Plan of(RigFile rig, List<RackView> fleet) throws RigFile.RigException {
        Map<String, RigFile.Entry> owner = new LinkedHashMap<>();
        List<RackPlan> out = new ArrayList<>();
        for (RigFile.Entry e : rig.racks()) {
            RackSelector selector = RackSelector.parse(e.select());
            List<RackView> selected = fleet.stream().filter(r -> selector.matches(r.name(), r.labels()))
                    .sorted(java.util.Comparator.comparing(RackView::name)).toList();
            if (selected.isEmpty()) {
                throw new RigFile.RigException(rig.file(), e.line(), "racks[" + e.index() + "].select", "'" + e.select()
                        + "' matches no registered rack");
            }
            for (RackView r : selected) {
                RigFile.Entry earlier = owner.putIfAbsent(r.name(), e);
                if (earlier != null) {
                    throw new RigFile.RigException(rig.file(), e.line(), "racks[" + e.index() + "].select", "rack " + r.name()
                            + " is selected by racks[" + earlier.index() + "] (line " + earlier.line() + ") too; a rack runs one entry");
                }
                out.add(new RackPlan(r.name(), e, r.state(), changes(e, r)));
            }
        }
        return new Plan(rig, List.copyOf(out));
    }

    private static List<Change> changes(RigFile.Entry e, RackView r) {
        List<Change> out = new ArrayList<>();
        for (Artifact b : e.bundles()) {
            String running = r.bundles().get(b.name());
            String action = running == null ? INSTALL : r.digests().contains(b.digest()) ? SAME : UPDATE;
            out.add(new Change(b, action, running));
        }
        if (e.patch() != null) {
            out.add(new Change(e.patch(), e.patch().digest().equals(r.patch()) ? SAME : APPLY, r.patch()));
        }
        return List.copyOf(out);
    }

    /** @return how many files would change, over every rack */
    public long changeCount() {
        return racks.stream().mapToLong(RackPlan::changeCount).sum();
    }

    /**
     * @param entry a rig entry
     * @return the files that would change on at least one of its racks, in the entry's order (what
     *         its rollout sends; on a rack that has one already, installing it again changes nothing)
     */
    public List<Artifact> toRollOut(RigFile.Entry entry) {
        List<Artifact> out = new ArrayList<>();
        List<Artifact> all = new ArrayList<>(entry.bundles());
        if (entry.patch() != null) {
            all.add(entry.patch());
        }
        for (Artifact a : all) {
            if (racks.stream().filter(p -> p.entry() == entry).flatMap(p -> p.changes().stream())
                    .anyMatch(c -> c.artifact() == a && c.changes())) {
                out.add(a);
            }
        }
        return out;
    }

    /** @return {@code sha256:} and the first 12 hex digits */
    static String shortDigest(String digest) {
        return digest == null ? "none" : digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12));
    }
}
