/**
 * The Web Console's credentials as the CLI writes them and the console's guard reads them: the
 * PBKDF2 password hash ({@link io.fluxrig.console.credentials.ConsolePasswordHash}) and the 0600
 * configuration file {@code <data>/etc/io.fluxrig.console.cfg}
 * ({@link io.fluxrig.console.credentials.ConsoleCredentialsFile}). Final classes with static
 * members only: nothing here is meant to be implemented by a user of the package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.console.credentials;
