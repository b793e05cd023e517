/**
 * What a bundle needs to add a page to the Felix Web Console of a rack or of the Mixer:
 * {@link io.fluxrig.console.plugin.WebConsolePlugin}, the component property type that names the
 * page (label, title, category). An annotation read at build time only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.console.plugin;
