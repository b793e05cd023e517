package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What a wire waits for before it reads its stream settings: every {@code fluxrig.wire.stream}
 * configuration ConfigAdmin holds, bound by the transport with the same properties. ConfigAdmin is
 * a stand-in answering {@code listConfigurations} from a list (pure logic: no framework).
 */
class StreamConfigurationsTest {
    private final List<Configuration> held = new CopyOnWriteArrayList<>();
    private final StreamConfigurations configs = new StreamConfigurations();

    StreamConfigurationsTest() {
        configs.configAdmin(configAdmin());
    }

    @Test
    void nothingToWaitForWithoutConfigurationsOrWithoutConfigAdmin() {
        assertEquals(List.of(), configs.pending());
        assertTrue(configs.awaitLive("w", Duration.ofSeconds(10)));
        held.add(config("fluxrig.wire.stream~a", Map.of("name", "A", "wires", new String[] {"w"})));
        StreamConfigurations none = new StreamConfigurations();
        assertTrue(none.awaitLive("w", Duration.ofSeconds(10)), "no ConfigAdmin: nothing known to wait for");
    }

    @Test
    void aWireWaitsUntilTheHeldConfigurationIsBound() throws Exception {
        Map<String, Object> props = Map.of("name", "A", "wires", new String[] {"w"}, "ordered", Boolean.TRUE);
        held.add(config("fluxrig.wire.stream~a", props));
        assertEquals(List.of("fluxrig.wire.stream~a"), configs.pending());

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> configs.awaitLive("w", Duration.ofMinutes(1)));
        configs.bound(bound(props, 7L));
        assertTrue(waiting.get(1, TimeUnit.MINUTES), "returns once bound, long before its limit");
        assertEquals(List.of(), configs.pending());
    }

    @Test
    void anUpdatedConfigurationIsPendingUntilItsSuccessorIsBound() {
        Map<String, Object> before = Map.of("name", "A", "wires", new String[] {"w"}, "ordered", Boolean.FALSE);
        Map<String, Object> after = Map.of("name", "A", "wires", new String[] {"w"}, "ordered", Boolean.TRUE);
        held.add(config("fluxrig.wire.stream~a", after));
        configs.bound(bound(before, 7L));
        assertEquals(List.of("fluxrig.wire.stream~a"), configs.pending(), "bound with the old properties");

        configs.unbound(bound(before, 7L));
        configs.bound(bound(after, 8L));
        configs.unbound(bound(before, 7L)); // a late unbind of the predecessor leaves the successor alone
        assertEquals(List.of(), configs.pending());
    }

    @Test
    void aConfigurationNeverBoundIsWaitedForOnlyUpToTheLimit() {
        held.add(config("fluxrig.wire.stream~bad", Map.of("name", "not a stream name!", "wires", new String[] {"w"})));
        assertFalse(configs.awaitLive("w", Duration.ofMillis(20)), "gives up and reports it");
    }

    /** The transport's bound properties: the configuration's plus what SCR adds. */
    private static Map<String, Object> bound(Map<String, Object> config, long componentId) {
        Map<String, Object> m = new HashMap<>();
        m.put("service.pid", "fluxrig.wire.stream~a");
        m.put("service.factoryPid", StreamConfigurations.FACTORY_PID);
        m.put("component.id", componentId);
        m.put("component.name", WireStreamDefinition.class.getName());
        // SCR hands over copies: arrays are equal by content, not the same objects
        config.forEach((k, v) -> m.put(k, v instanceof String[] a ? a.clone() : v));
        return m;
    }

    private static Configuration config(String pid, Map<String, Object> props) {
        Hashtable<String, Object> dict = new Hashtable<>(props);
        dict.put("service.pid", pid);
        dict.put("service.factoryPid", StreamConfigurations.FACTORY_PID);
        return (Configuration) Proxy.newProxyInstance(Configuration.class.getClassLoader(), new Class<?>[] {Configuration.class},
                (self, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getProperties" -> new Hashtable<>(dict);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private ConfigurationAdmin configAdmin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(ConfigurationAdmin.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (self, method, args) -> {
                    if (method.getName().equals("listConfigurations")) {
                        assertEquals("(service.factoryPid=" + StreamConfigurations.FACTORY_PID + ")", args[0]);
                        return held.isEmpty() ? null : held.toArray(Configuration[]::new);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
