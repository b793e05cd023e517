/**
 * fluxMsg, the envelope every gear reads and writes, and its deterministic CBOR and JSON forms.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.fluxrig.msg;
