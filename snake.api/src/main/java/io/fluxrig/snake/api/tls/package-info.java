/**
 * PEM reading and writing and the TLS 1.3 contexts of the Snake and the operator API: one way to
 * trust only the Mixer CA, present a key, and build the JDK HTTP/2 client ({@link
 * io.fluxrig.snake.api.tls.TlsContexts}, {@link io.fluxrig.snake.api.tls.Pem}). Final classes
 * with static members only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.fluxrig.snake.api.tls;
