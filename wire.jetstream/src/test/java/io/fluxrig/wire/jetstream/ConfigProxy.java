package io.fluxrig.wire.jetstream;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A configuration annotation instance as ConfigAdmin and DS would give it: every attribute its
 * declared default unless overridden by name (method name, e.g. {@code default_replicas}).
 * Tests build the transport through {@link TransportSettings#from} with it, so they run the real
 * configuration path and do not depend on how the settings record is laid out.
 */
final class ConfigProxy {
    private ConfigProxy() {
    }

    static <A> A of(Class<A> type, Map<String, Object> overrides) {
        for (String name : overrides.keySet()) {
            try {
                type.getMethod(name);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no attribute " + name, e);
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (overrides.containsKey(method.getName())) {
                return overrides.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (method.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + overrides;
                case "hashCode" -> System.identityHashCode(self);
                case "equals" -> self == args[0];
                default -> throw new IllegalStateException(type.getSimpleName() + "." + method.getName() + " has no default");
            };
        });
        return type.cast(proxy);
    }
}
