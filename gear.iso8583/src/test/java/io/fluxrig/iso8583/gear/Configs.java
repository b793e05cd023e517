package io.fluxrig.iso8583.gear;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a configuration annotation instance from its defaults plus overrides (what DS does from ConfigAdmin). */
final class Configs {
    private Configs() {
    }

    static <A extends Annotation> A of(Class<A> type, Map<String, Object> overrides) {
        for (String k : overrides.keySet()) {
            try {
                type.getMethod(k);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no attribute " + k);
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> switch (m.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + overrides;
            case "hashCode" -> overrides.hashCode();
            case "equals" -> p == args[0];
            default -> overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue();
        });
        return type.cast(proxy);
    }
}
