package io.fluxrig.gear.json.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one {@code json.http} gear instance (factory PID {@code fluxrig.gear.json.http}). */
@ObjectClassDefinition(
        name = "fluxrig gear: json.http",
        description = "Sends the message's JSON to a REST endpoint (Jetty HttpClient) and emits the response; failures go to the error port.")
public @interface HttpConfig {

    @AttributeDefinition(name = "URL", description = "The endpoint, http:// or https://.")
    String url();

    @AttributeDefinition(name = "Method", description = "POST or PUT (PUT is idempotent, so it may be retried).",
            options = {@Option(label = "POST", value = "POST"), @Option(label = "PUT", value = "PUT")})
    String method() default "POST";

    @AttributeDefinition(name = "Idempotent", description = "Whether a POST may be sent again after a failure (retries apply only to idempotent requests).")
    boolean idempotent() default false;

    @AttributeDefinition(name = "Retries", description = "Further attempts after a timeout, connection failure or 5xx (0..10), only when idempotent.")
    int retries() default 0;

    @AttributeDefinition(name = "Retry backoff (ms)", description = "Pause before each further attempt.")
    long retry_backoff_ms() default 50;

    @AttributeDefinition(name = "Connect timeout (ms)", description = "Time to open a connection.")
    long connect_timeout_ms() default 2000;

    @AttributeDefinition(name = "Request timeout (ms)", description = "Time for one attempt, from sending (connect included) to the whole response read.")
    long request_timeout_ms() default 5000;

    @AttributeDefinition(name = "Source", description = "What is sent: 'data' (the whole data as a JSON object), 'raw' (the raw bytes as they are) or a data key (its value as JSON; text or bytes are sent as they are).")
    String source() default "data";

    @AttributeDefinition(name = "Target", description = "Where the response JSON goes: 'data' (an object replaces the data) or a data key (other data kept).")
    String target() default "data";

    @AttributeDefinition(name = "HTTP version", description = "HTTP_1_1, or HTTP_2 (h2 where TLS negotiates it via ALPN; HTTP/1.1 when the server does not, and always in clear text).",
            options = {@Option(label = "HTTP/1.1", value = "HTTP_1_1"), @Option(label = "HTTP/2", value = "HTTP_2")})
    String http_version() default "HTTP_1_1";

    @AttributeDefinition(name = "Headers", required = false, description = "Extra request headers, each 'Name: value'.")
    String[] headers() default {};

    @AttributeDefinition(name = "Trust store", required = false, description = "PKCS12 file of trusted certificates; empty = the JDK's default trust.")
    String trust_store() default "";

    /** Leading underscore: the property is {@code .trust.store.password}, private, never copied into service properties. */
    @AttributeDefinition(name = "Trust store password", required = false, type = AttributeType.PASSWORD)
    String _trust_store_password() default "";

    @AttributeDefinition(name = "Client key store", required = false, description = "PKCS12 file with the client certificate and key, for mutual TLS.")
    String key_store() default "";

    /** Leading underscore: the property is {@code .key.store.password}, private, never copied into service properties. */
    @AttributeDefinition(name = "Client key store password", required = false, type = AttributeType.PASSWORD)
    String _key_store_password() default "";

    @AttributeDefinition(name = "Threads", description = "Threads of the instance's HttpClient executor (1..16); responses are emitted on them.")
    int threads() default 2;

    @AttributeDefinition(name = "Max in flight", description = "Requests outstanding at once; above it a message goes straight to the error port.")
    int max_in_flight() default 1000;
}
