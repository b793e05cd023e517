/**
 * The Wire SPI: how transports plug persistent, ordered data paths into a rack.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.1")
package io.fluxrig.wire;
