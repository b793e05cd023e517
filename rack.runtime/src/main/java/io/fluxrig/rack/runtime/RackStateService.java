package io.fluxrig.rack.runtime;

import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.route.GearBinder;
import io.fluxrig.rack.runtime.route.WireStatus;
import io.fluxrig.rack.spi.RackState;
import io.fluxrig.telemetry.RackFlow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The rack's {@link RackState} service (and {@link RackFlow}, its links and the gears' recent processing
 * times for the live console page), read from the patch loop and the gear binder. Holds no
 * state of its own; each call reads theirs (both are thread-safe).
 */
@Component(service = {RackState.class, RackFlow.class})
public final class RackStateService implements RackState, RackFlow {
    private final PatchManager patches;
    private final GearBinder gears;

    /**
     * @param patches the patch loop (settings, the applied patch)
     * @param gears the gear instances and the wire transport
     */
    @Activate
    public RackStateService(@Reference PatchManager patches, @Reference GearBinder gears) {
        this.patches = patches;
        this.gears = gears;
    }

    @Override
    public String name() {
        return patches.settings().name();
    }

    @Override
    public Path data() {
        return patches.settings().data();
    }

    @Override
    public List<Gear> gears() {
        return gears.rows().stream().map(r -> new Gear(r.name(), r.type(), r.bundle(), r.state(), r.in(), r.out(), r.errors(),
                r.latency() == null ? null : new RackState.Latency(r.latency().calls(), r.latency().p50Millis(), r.latency().p99Millis(),
                        r.latency().windowMillis()))).toList();
    }

    @Override
    public List<String> links() {
        var applied = patches.status().applied();
        return applied == null ? List.of() : applied.links().stream().map(Link::toString).toList();
    }

    @Override
    public Map<String, RackFlow.Latency> latencies() {
        Map<String, RackFlow.Latency> out = new LinkedHashMap<>();
        for (var r : gears.rows()) {
            var l = r.latency();
            if (l != null && l.calls() > 0) {
                out.put(r.name(), new RackFlow.Latency(l.calls(), l.p50Millis(), l.p99Millis(), l.windowMillis()));
            }
        }
        return out;
    }

    @Override
    public String patchDigest() {
        return patches.status().appliedDigest();
    }

    @Override
    public Wire wire() {
        WireStatus w = gears.wireStatus();
        return w == null ? null : new Wire(w.connected(), w.detail());
    }
}
