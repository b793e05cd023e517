package io.fluxrig.rack.runtime.console;

import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.route.GearBinder;
import io.fluxrig.rack.runtime.route.GearRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code rack:gears} (the instance table) and {@code rack:patch} (patch file,
 * links, last refusal). Stateless; Gogo calls the public methods by reflection and prints the
 * returned text.
 */
@Component(service = RackCommands.class)
@GogoCommand(scope = "rack", function = {"gears", "patch"})
public final class RackCommands {
    private final PatchManager patches;
    private final GearBinder binder;

    /**
     * @param patches the patch state
     * @param binder the gear instances
     */
    @Activate
    public RackCommands(@Reference PatchManager patches, @Reference GearBinder binder) {
        this.patches = patches;
        this.binder = binder;
    }

    /** @return the table of gear instances: name, type, bundle, state and counters */
    public String gears() {
        RackView v = RackView.of(patches, binder);
        String fmt = "%-16s %-12s %-34s %-8s %10s %10s %8s %9s%n";
        StringBuilder sb = new StringBuilder(String.format(fmt, "NAME", "TYPE", "BUNDLE", "STATE", "IN", "OUT",
                "ERRORS", "BUFFERED"));
        for (GearRow r : v.gears()) {
            sb.append(String.format(fmt, r.name(), r.type(), r.bundle(), r.state(), r.in(), r.out(), r.errors(),
                    r.buffered()));
        }
        if (v.gears().isEmpty()) {
            sb.append("(no gear instances)\n");
        }
        if (v.wire() != null) {
            sb.append("wire transport: ").append(v.wire().state()).append(" - ").append(v.wire().detail()).append('\n');
        }
        return sb.toString();
    }

    /** @return the patch file, its links and the last refusal, if any */
    public String patch() {
        RackView v = RackView.of(patches, binder);
        PatchStatus s = v.status();
        StringBuilder sb = new StringBuilder();
        sb.append("rack:    ").append(v.settings().name()).append('\n');
        sb.append("patch:   ").append(s.file()).append(s.appliedAt() == null ? "" : " (applied " + s.appliedAt() + ")")
                .append('\n');
        sb.append("data:    ").append(v.settings().data()).append('\n');
        sb.append("links:\n");
        v.links().forEach(l -> sb.append("  ").append(l).append('\n'));
        if (v.links().isEmpty()) {
            sb.append("  (none)\n");
        }
        if (s.waiting()) {
            sb.append("waiting for gear types to install (start grace)\n");
        }
        if (!s.refusal().isEmpty()) {
            sb.append("last refusal (").append(s.refusedAt()).append("):\n");
            s.refusal().forEach(p -> sb.append("  ").append(p).append('\n'));
        }
        return sb.toString();
    }
}
