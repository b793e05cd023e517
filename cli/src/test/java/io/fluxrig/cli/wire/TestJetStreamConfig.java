package io.fluxrig.cli.wire;

import io.fluxrig.wire.jetstream.JetStreamConfig;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A {@link JetStreamConfig} for the real transport in tests, outside any framework: the
 * annotation's defaults, the given server URL, creds file and CA file, and overrides. Immutable, so any thread may use it.
 */
final class TestJetStreamConfig {
    private TestJetStreamConfig() {
    }

    /** @param overrides attribute method name to value, e.g. {@code default_max_deliver -> 2} */
    static JetStreamConfig of(String url, java.nio.file.Path creds, java.nio.file.Path ca, Map<String, Object> overrides) {
        return (JetStreamConfig) Proxy.newProxyInstance(JetStreamConfig.class.getClassLoader(),
                new Class<?>[] {JetStreamConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "servers" -> new String[] {url};
                    case "credentials_file" -> creds.toString();
                    case "tls_ca_file" -> ca == null ? "" : ca.toString();
                    case "annotationType" -> JetStreamConfig.class;
                    case "toString" -> "test config " + url + " " + overrides;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
