/**
 * What the rack runtime offers the bundles that work beside it (the Snake agent): its
 * {@link io.fluxrig.rack.spi.RackState} (name, data folder, gear instances with their
 * counters and recent processing-time percentiles, links, wire transport) and the
 * {@link io.fluxrig.rack.spi.Deployer} that installs gear bundles and applies patches, recording
 * where each came from ({@link io.fluxrig.rack.spi.DeployOrigin}). Both are services only the rack
 * runtime provides ({@code @ProviderType}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.fluxrig.rack.spi;
