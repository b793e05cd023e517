package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The rack's Snake (bundle rack.snake) is configuration, not framework properties: without PID
 * {@code io.fluxrig.rack.snake} the component waits for it and no Snake thread runs; the metatype
 * describes every property (so the Web Console shows and edits it); with a configuration the
 * Snake starts, and deleting the configuration stops it again.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class SnakeConfigurationTest {
    private static final String PID = "io.fluxrig.rack.snake";
    private static final String COMPONENT = "io.fluxrig.rack.snake.SnakeComponent";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    ServiceComponentRuntime scr;

    @InjectService
    MetaTypeService metaType;

    private Bundle snakeBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> "io.fluxrig.rack.snake".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
    }

    private int state() {
        ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(snakeBundle(), COMPONENT);
        List<ComponentConfigurationDTO> c = List.copyOf(scr.getComponentConfigurationDTOs(d));
        return c.isEmpty() ? ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION : c.get(0).state;
    }

    private static boolean snakeThreadRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("fluxrig-snake-"));
    }

    @Test
    void theSnakeRunsExactlyWhileItsConfigurationExists() throws Exception {
        assertEquals(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, state(), "no configuration: no Snake");
        assertTrue(!snakeThreadRunning(), "no Snake thread without a configuration");

        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(snakeBundle()).getObjectClassDefinition(PID, null);
        assertEquals(List.of("mixer", "ca.hash", "token.file", "heartbeat.ms", "backoff.max.ms", "renew.percent", "download.kbps",
                "publisher.keys"),
                Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).map(AttributeDefinition::getID).toList());

        Configuration c = configAdmin.getConfiguration(PID, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("mixer", "127.0.0.1:1"); // nothing listens: the Snake runs and keeps reconnecting
        p.put("heartbeat.ms", "100");
        c.update(p);
        try {
            Await.until("the Snake component active", () -> state() == ComponentConfigurationDTO.ACTIVE);
            Await.until("the Snake thread", SnakeConfigurationTest::snakeThreadRunning);
        } finally {
            c.delete();
        }
        Await.until("the Snake stopped with its configuration", () -> !snakeThreadRunning());
        assertEquals(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, state());
    }

    /**
     * The Web Console's Status tab shows the release trust from the Snake's configuration:
     * development mode without publisher keys, the pinned key ids with them, the reason with a
     * malformed one.
     */
    @Test
    void theConsoleShowsDevelopmentModeOrThePinnedPublisherKeys() throws Exception {
        assertTrue(releases().startsWith("Release trust: development mode (unsigned accepted)"), releases());
        java.security.KeyPair k = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = k.getPublic().getEncoded();
        String key = "ed25519:" + java.util.Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        String id = "ed25519:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Arrays.copyOfRange(spki, spki.length - 32, spki.length)), 0, 8);
        Configuration c = configAdmin.getConfiguration(PID, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("mixer", "127.0.0.1:1");
        p.put("publisher.keys", new String[] {key});
        c.update(p);
        try {
            Await.until("the pinned key shown", () -> releases().startsWith(
                    "Release trust: signed releases only: 1 publisher key pinned (" + id + ")"));
            p.put("publisher.keys", new String[] {"ed25519:nonsense"});
            c.update(p);
            Await.until("the malformed key shown", () -> releases().contains("publisher keys unusable, every release is refused"));
        } finally {
            c.delete();
        }
        // Leave the framework as the other tests expect it: no configuration, no Snake.
        Await.until("the Snake stopped with its configuration", () -> !snakeThreadRunning()
                && state() == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION);
        assertTrue(releases().startsWith("Release trust: development mode (unsigned accepted)"), releases());
    }

    private String releases() {
        java.util.Collection<org.osgi.framework.ServiceReference<org.apache.felix.inventory.InventoryPrinter>> refs;
        try {
            refs = context.getServiceReferences(org.apache.felix.inventory.InventoryPrinter.class,
                    "(" + org.apache.felix.inventory.InventoryPrinter.NAME + "=fluxrig-releases)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(1, refs.size(), "one release-trust printer");
        var ref = refs.iterator().next();
        org.apache.felix.inventory.InventoryPrinter printer = context.getService(ref);
        try {
            java.io.StringWriter w = new java.io.StringWriter();
            printer.print(new java.io.PrintWriter(w), org.apache.felix.inventory.Format.TEXT, false);
            return w.toString();
        } finally {
            context.ungetService(ref);
        }
    }
}
