package io.fluxrig.telemetry;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of the rack's trace export, registered by rack.telemetry whether tracing is on or
 * off, for consoles, commands and tests. Counts are since the SDK was (re)built by its last
 * configuration. Thread-safe; every method is cheap.
 */
@ProviderType
public interface TelemetryStatus {

    /** @return whether spans are recorded and exported (the OpenTelemetry service is registered) */
    boolean tracing();

    /** @return the OTLP/HTTP traces endpoint spans go to, or null when tracing is off */
    String endpoint();

    /** @return spans the collector accepted */
    long spansExported();

    /**
     * @return spans lost: refused by a full export queue, or in a batch the collector refused or
     *     did not answer in time; processing never waits for the export
     */
    long spansDropped();

    /** @return one line for operators: on/off, endpoint, sampler, exported and dropped counts */
    String describe();
}
