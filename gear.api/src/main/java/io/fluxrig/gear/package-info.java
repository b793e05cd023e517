/**
 * The Gear SPI: what a gear implements ({@link io.fluxrig.gear.Gear}, declared with
 * {@link io.fluxrig.gear.GearType}) and its handle on the rack ({@link io.fluxrig.gear.GearContext}), and
 * {@link io.fluxrig.gear.Deferral} for gears that finish a message asynchronously, and
 * {@link io.fluxrig.gear.Handover}, the rack service that keeps a gear's open sockets across a
 * replacement of its bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.fluxrig.gear;
