package io.fluxrig.gear.json.http;

import java.lang.annotation.Annotation;

/** A json.http configuration for tests: defaults as the metatype's, fields set per test. */
final class Cfg implements HttpConfig {
    String url;
    String method = "POST";
    boolean idempotent;
    int retries;
    long backoffMs = 10;
    long connectTimeoutMs = 2000;
    long requestTimeoutMs = 5000;
    String source = "data";
    String target = "data";
    String httpVersion = "HTTP_1_1";
    String[] headers = {};
    String trustStore = "";
    String trustStorePassword = "";
    String keyStore = "";
    String keyStorePassword = "";
    int threads = 2;
    int maxInFlight = 1000;

    Cfg(String url) {
        this.url = url;
    }

    @Override public Class<? extends Annotation> annotationType() { return HttpConfig.class; }
    @Override public String url() { return url; }
    @Override public String method() { return method; }
    @Override public boolean idempotent() { return idempotent; }
    @Override public int retries() { return retries; }
    @Override public long retry_backoff_ms() { return backoffMs; }
    @Override public long connect_timeout_ms() { return connectTimeoutMs; }
    @Override public long request_timeout_ms() { return requestTimeoutMs; }
    @Override public String source() { return source; }
    @Override public String target() { return target; }
    @Override public String http_version() { return httpVersion; }
    @Override public String[] headers() { return headers; }
    @Override public String trust_store() { return trustStore; }
    @Override public String _trust_store_password() { return trustStorePassword; }
    @Override public String key_store() { return keyStore; }
    @Override public String _key_store_password() { return keyStorePassword; }
    @Override public int threads() { return threads; }
    @Override public int max_in_flight() { return maxInFlight; }
}
