package io.fluxrig.mixer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Mixer's configuration (PID {@code fluxrig.mixer}), as {@code etc/fluxrig.mixer.cfg} in the
 * Mixer's folder (the launcher writes it at first start from its options); the Web Console shows
 * and edits it. A change restarts the Mixer component.
 */
@ObjectClassDefinition(id = MixerSettings.PID, name = "fluxrig Mixer",
        description = "Addresses, NATS, rack certificates, the offline rule and the Snake's limits.")
public @interface MixerConfig {
    /** @return the registry's NATS */
    @AttributeDefinition(name = "NATS", description = "NATS URL(s) with JetStream where the rack registry lives (comma-separated for a cluster)")
    String nats() default "nats://127.0.0.1:4222";

    /** @return the Snake's bind address */
    @AttributeDefinition(name = "Snake bind address", description = "Interface the Snake listens on; * or 0.0.0.0 for all "
            + "(racks on other machines need one they reach)")
    String snake_host() default MixerSettings.SNAKE_HOST_DEFAULT;

    /** @return the Snake's port */
    @AttributeDefinition(name = "Snake port", min = "0", max = "65535", description = "Port racks dial (mutual TLS)")
    int snake_port() default 7443;

    /** @return the operator API's bind address */
    @AttributeDefinition(name = "Operator API bind address", description = "Interface of the operator API and Web Console (HTTPS)")
    String api_host() default "127.0.0.1";

    /** @return the operator API's port */
    @AttributeDefinition(name = "Operator API port", min = "0", max = "65535", description = "HTTPS port of the operator API and Web Console")
    int api_port() default 8443;

    /** @return names in the server certificate */
    @AttributeDefinition(name = "Server names", description = "Host names and IPs in the Mixer's server certificate, comma-separated")
    String hosts() default "localhost,127.0.0.1";

    /** @return the address racks dial */
    @AttributeDefinition(name = "Advertised Snake address", required = false,
            description = "HOST:PORT racks dial, printed by the token command; empty: the first server name and the Snake port")
    String advertise() default "";

    /** @return the largest artifact */
    @AttributeDefinition(name = "Largest artifact (MiB)", min = "1", max = "1048576", description = "The largest bundle or patch POST /api/artifacts stores")
    int artifact_max_mb() default MixerSettings.ARTIFACT_MAX_MB_DEFAULT;

    /** @return lifetime of issued rack certificates */
    @AttributeDefinition(name = "Rack certificate lifetime (days)", min = "1")
    int rack_cert_days() default 30;

    /** @return missed heartbeat periods before a rack is marked offline */
    @AttributeDefinition(name = "Offline after (heartbeat periods)", min = "1")
    int offline_after_periods() default 3;

    /** @return how often the offline rule runs */
    @AttributeDefinition(name = "Offline sweep interval (ms)", min = "10")
    long sweep_interval_ms() default 1000;

    /** @return idle timeout of Snake connections and streams */
    @AttributeDefinition(name = "Snake idle timeout (ms)", min = "25000",
            description = "A connection, TLS handshake, request header or HTTP/2 stream with no traffic for this long is closed.")
    long snake_idle_timeout_ms() default 30000;

    /** @return the minimum request body rate */
    @AttributeDefinition(name = "Snake minimum enrolment data rate (bytes/s)", min = "0",
            description = "An enrolment body sent slower than this is answered 408 and its connection closed (0: only the idle timeout).")
    long snake_min_request_rate() default 1024;

    /** @return concurrent requests without a client certificate per source address */
    @AttributeDefinition(name = "Snake unauthenticated requests per source", min = "1",
            description = "Concurrent GET /ca and POST /enrol requests from one address; more are answered 429.")
    int snake_unauthenticated_per_source() default 4;

    /** @return concurrent requests without a client certificate in total */
    @AttributeDefinition(name = "Snake unauthenticated requests in total", min = "1",
            description = "Concurrent requests without a client certificate from all addresses; more wait up to 5 s, then 503.")
    int snake_unauthenticated_total() default 16;

    /** @return replicas of the Mixer's KV buckets */
    @AttributeDefinition(name = "KV replicas", min = "1", max = "5",
            description = "Replicas of the registry, token and command buckets when the Mixer creates them: 1 on one NATS server, "
                    + "3 (or 5) on a cluster. A bucket that exists with another count is used as it is and reported.")
    int kv_replicas() default 1;

    /** @return open connections the Snake accepts */
    @AttributeDefinition(name = "Snake connection limit", min = "2",
            description = "Open TLS connections (each rack holds one); more wait in the operating system's accept queue. "
                    + "Each is a file descriptor of the Mixer's process.")
    int snake_max_connections() default 8192;

    /** @return the trace backend's search URL template */
    @AttributeDefinition(name = "Trace search URL", required = false,
            description = "A link the Rollouts page and GET /api/rollouts/ID give per rollout, to the traces of the gears it changed: "
                    + "your trace backend's search URL with {rolloutId}, {start}/{end} (epoch ms), {startMicros}/{endMicros} "
                    + "or {startSeconds}/{endSeconds}, e.g. http://jaeger:16686/search?service=fluxrig&start={startMicros}"
                    + "&end={endMicros}&tags=%7B%22fluxrig.rollout.id%22%3A%22{rolloutId}%22%7D. Empty: no link (the "
                    + "span attribute filter fluxrig.rollout.id=ID is shown either way).")
    String trace_search_url() default "";
}
