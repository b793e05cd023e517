/**
 * Signed releases: what a publisher signs ({@link io.fluxrig.snake.api.release.ReleaseStatement}
 * and its one canonical byte form), the detached signature file and command argument
 * ({@link io.fluxrig.snake.api.release.SignedRelease}), publisher keys and signature checks
 * ({@link io.fluxrig.snake.api.release.PublisherKeys}), and what a rack reports about its trust
 * ({@link io.fluxrig.snake.api.release.ReleaseTrust}). The CLI signs with these types, a rack
 * verifies with them; the Mixer only carries the signature and cannot make one.
 *
 * <p>Records and final classes only: nothing here is meant to be implemented by a user.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.snake.api.release;
