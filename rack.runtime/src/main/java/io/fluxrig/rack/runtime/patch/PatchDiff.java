package io.fluxrig.rack.runtime.patch;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What changes between the running patch and a new one. Pure logic, immutable.
 *
 * @param added instances only in the new patch
 * @param removed instances only in the old patch
 * @param reconfigured instances in both whose type or configuration changed
 * @param linksAdded links only in the new patch
 * @param linksRemoved links only in the old patch
 */
public record PatchDiff(Set<String> added, Set<String> removed, Set<String> reconfigured,
        Set<Link> linksAdded, Set<Link> linksRemoved) {

    /** Copies the sets (keeping order). */
    public PatchDiff {
        added = Collections.unmodifiableSet(new LinkedHashSet<>(added));
        removed = Collections.unmodifiableSet(new LinkedHashSet<>(removed));
        reconfigured = Collections.unmodifiableSet(new LinkedHashSet<>(reconfigured));
        linksAdded = Collections.unmodifiableSet(new LinkedHashSet<>(linksAdded));
        linksRemoved = Collections.unmodifiableSet(new LinkedHashSet<>(linksRemoved));
    }

    /**
     * @param old the running patch
     * @param next the new patch
     * @return the difference
     */
    public static PatchDiff of(Patch old, Patch next) {
        Set<String> added = new LinkedHashSet<>();
        Set<String> reconfigured = new LinkedHashSet<>();
        for (GearSpec g : next.gears().values()) {
            GearSpec was = old.gears().get(g.name());
            if (was == null) {
                added.add(g.name());
            } else if (!was.type().equals(g.type()) || !Objects.equals(was.config(), g.config())) {
                reconfigured.add(g.name());
            }
        }
        Set<String> removed = new LinkedHashSet<>(old.gears().keySet());
        removed.removeAll(next.gears().keySet());
        Set<Link> linksAdded = new LinkedHashSet<>(next.links());
        old.links().forEach(linksAdded::remove);
        Set<Link> linksRemoved = new LinkedHashSet<>(old.links());
        next.links().forEach(linksRemoved::remove);
        return new PatchDiff(added, removed, reconfigured, linksAdded, linksRemoved);
    }

    /** @return true when nothing changes */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && reconfigured.isEmpty() && linksAdded.isEmpty()
                && linksRemoved.isEmpty();
    }

    @Override
    public String toString() {
        return "gears +" + added.size() + " -" + removed.size() + " ~" + reconfigured.size() + ", links +"
                + linksAdded.size() + " -" + linksRemoved.size();
    }
}
