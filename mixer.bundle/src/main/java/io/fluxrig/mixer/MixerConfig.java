package io.fluxrig.mixer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Tunables of the Mixer (PID {@code fluxrig.mixer}); bootstrap values are framework properties. */
@ObjectClassDefinition(name = "fluxrig Mixer", description = "Rack certificates, the offline rule and the Snake's limits.")
public @interface MixerConfig {
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
}
