/**
 * PEM reading and writing and the TLS 1.3 contexts of the Snake and the operator API: one way to
 * trust only the Mixer CA, present a key, and build the JDK HTTP/2 client ({@link
 * io.fluxrig.snake.api.tls.TlsContexts}, {@link io.fluxrig.snake.api.tls.Pem}), and what a client requires of
 * the Mixer's server certificate ({@link io.fluxrig.snake.api.tls.MixerServerCheck}). Final classes
 * with static members only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.fluxrig.snake.api.tls;
