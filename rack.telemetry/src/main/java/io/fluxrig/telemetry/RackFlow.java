package io.fluxrig.telemetry;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The shape of the rack's flow, for the live console page's picture: a service the rack runtime
 * registers (the telemetry bundle cannot depend on the runtime, which depends on it). The page
 * takes it through an optional dynamic reference and draws no picture without it.
 *
 * <p>Implementations are thread-safe: called on console request threads.
 */
@ConsumerType
public interface RackFlow {
    /**
     * @return the applied patch's links as the patch writes them, one per entry:
     *         {@code gear.port -> gear.port}, {@code gear.port -> wire:NAME} or
     *         {@code wire:NAME -> gear.port} (empty when no patch is applied)
     */
    List<String> links();
}
