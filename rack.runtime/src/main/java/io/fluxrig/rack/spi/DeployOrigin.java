package io.fluxrig.rack.spi;

/**
 * Where a deployment comes from, as the rack records it with what it installs: the spans of the
 * gears it changed name the rollout ({@code fluxrig.rollout.id}) and the signed release's sequence.
 *
 * @param rollout the id of the rollout that sent the command, or null (a plain deploy)
 * @param sequence the signed release's sequence, or 0 when unsigned
 */
public record DeployOrigin(String rollout, long sequence) {
    /** A deployment outside any rollout, unsigned. */
    public static final DeployOrigin NONE = new DeployOrigin(null, 0);

    /** @return whether there is anything to record */
    public boolean known() {
        return rollout != null || sequence > 0;
    }
}
