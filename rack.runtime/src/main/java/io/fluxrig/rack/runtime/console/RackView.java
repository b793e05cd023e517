package io.fluxrig.rack.runtime.console;

import io.fluxrig.rack.runtime.RackSettings;
import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.route.GearBinder;
import io.fluxrig.rack.runtime.route.GearRow;
import io.fluxrig.rack.runtime.route.WireStatus;
import java.util.List;

/**
 * One consistent-enough snapshot of the rack for the Gogo commands and the console page.
 *
 * @param settings bootstrap settings (name, data folder, patch file)
 * @param status the patch state
 * @param gears one row per gear instance of the running patch
 * @param wire the wire transport's state, null when none is bound
 */
record RackView(RackSettings settings, PatchStatus status, List<GearRow> gears, WireStatus wire) {

    static RackView of(PatchManager patches, GearBinder binder) {
        return new RackView(patches.settings(), patches.status(), binder.rows(), binder.wireStatus());
    }

    List<Link> links() {
        return status.applied().links();
    }
}
