package io.fluxrig.rack.snake;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Snake's configuration (PID {@value #PID}): where the Mixer is and, until the rack is
 * enrolled, how to enrol. Without this configuration the rack runs without a Mixer. The launcher
 * writes it as {@code <pid>.cfg} for FileInstall; the Web Console shows and edits it.
 */
@ObjectClassDefinition(id = SnakeConfig.PID, name = "fluxrig Snake (connection to the Mixer)",
        description = "The rack's outbound mutual-TLS connection to its Mixer: enrolment, heartbeats, commands.")
@interface SnakeConfig {
    /** The configuration PID. */
    String PID = "io.fluxrig.rack.snake";

    @AttributeDefinition(name = "Mixer", description = "HOST:PORT of the Mixer's Snake endpoint, e.g. mixer.example:7443")
    String mixer();

    @AttributeDefinition(name = "Mixer CA hash", required = false,
            description = "sha256:<64 hex> of the Mixer CA, pinned at enrolment (as printed by the token command); "
                    + "not needed once the rack is enrolled")
    String ca_hash() default "";

    @AttributeDefinition(name = "Enrolment token file", required = false,
            description = "File holding the one-time enrolment token (keep it mode 0600); read only when the rack "
                    + "enrols. The token itself is never part of the configuration")
    String token_file() default "";

    @AttributeDefinition(name = "Heartbeat period (ms)", min = "10", description = "How often the rack reports to the Mixer")
    long heartbeat_ms() default 5000;

    @AttributeDefinition(name = "Longest reconnect backoff (ms)", min = "10",
            description = "Reconnects back off exponentially with jitter up to this")
    long backoff_max_ms() default 60_000;

    @AttributeDefinition(name = "Renewal point (%)", min = "10", max = "95",
            description = "Renew the rack certificate once this share of its validity has passed")
    int renew_percent() default 67;

    @AttributeDefinition(name = "Download cap (KiB/s)", min = "0",
            description = "Cap on artifact downloads so a deployment does not saturate a thin link; 0 for none")
    long download_kbps() default 0;

    @AttributeDefinition(name = "Publisher keys", required = false,
            description = "Public keys (ed25519:<base64>, from 'fluxrig release keygen') of the publishers whose signed releases "
                    + "this rack installs; several for key rotation, as entries or separated by commas. Empty: development "
                    + "mode, unsigned artifacts accepted. Keys live with the publishers, never on the Mixer")
    String[] publisher_keys() default {};
}
