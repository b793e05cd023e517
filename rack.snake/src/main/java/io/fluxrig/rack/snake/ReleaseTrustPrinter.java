package io.fluxrig.rack.snake;

import io.fluxrig.rack.spi.RackState;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.ReleaseTrust;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Dictionary;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Shows the rack's release trust in the Web Console (Status tab, "fluxrig releases"): development
 * mode or the pinned publisher key ids (from the Snake's configuration, read through ConfigAdmin
 * on each print), and the last release installed per name (the ledger file, read afresh). Called
 * on the console's request threads; holds no state of its own.
 */
@Component(service = InventoryPrinter.class, property = {InventoryPrinter.NAME + "=fluxrig-releases",
    InventoryPrinter.TITLE + "=fluxrig releases", InventoryPrinter.FORMAT + "=TEXT", InventoryPrinter.FORMAT + "=JSON"})
public final class ReleaseTrustPrinter implements InventoryPrinter {
    private final ConfigurationAdmin configs;
    private final RackState rack;

    /** @param configs the Snake's configuration @param rack the data folder */
    @Activate
    public ReleaseTrustPrinter(@Reference ConfigurationAdmin configs, @Reference RackState rack) {
        this.configs = configs;
        this.rack = rack;
    }

    @Override
    public void print(PrintWriter out, Format format, boolean isZip) {
        ReleaseKeys keys = keys();
        ReleaseTrust t = new ReleaseGate(keys::state, new ReleaseLedger(rack.data().resolve("snake").resolve(Snake.RELEASES)),
                Clock.systemUTC()).trust();
        if (format == Format.JSON) {
            out.print(new String(SnakeCodec.json().write(t), StandardCharsets.UTF_8));
            return;
        }
        out.println("Release trust: " + t.summary());
        if (keys.state().problem() != null) {
            out.println(keys.state().describe());
        }
        out.println("Configured by: PID " + SnakeConfig.PID + ", property publisher.keys");
        if (t.installed().isEmpty()) {
            out.println("No signed release installed yet.");
        }
        for (Map.Entry<String, ReleaseTrust.Installed> e : new TreeMap<>(t.installed()).entrySet()) {
            ReleaseTrust.Installed i = e.getValue();
            out.println("  " + e.getKey() + " " + i.version() + " (" + i.kind() + ", sequence " + i.sequence() + ", " + i.digest() + ")");
        }
    }

    private ReleaseKeys keys() {
        try {
            Configuration[] found = configs.listConfigurations("(service.pid=" + SnakeConfig.PID + ")");
            Dictionary<String, Object> p = found == null || found.length == 0 ? null : found[0].getProperties();
            Object v = p == null ? null : p.get("publisher.keys");
            if (v instanceof String[] a) {
                return new ReleaseKeys(a);
            }
            return v == null ? new ReleaseKeys() : new ReleaseKeys(String.valueOf(v));
        } catch (IOException | InvalidSyntaxException e) {
            return ReleaseKeys.unusable("the Snake's configuration cannot be read: " + e.getMessage());
        }
    }
}
