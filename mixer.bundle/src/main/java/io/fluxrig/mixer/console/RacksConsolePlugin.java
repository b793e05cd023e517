package io.fluxrig.mixer.console;

import io.fluxrig.console.plugin.WebConsolePlugin;
import io.fluxrig.mixer.store.RackQuery;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.mixer.store.RackRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Web Console page {@code /system/console/racks} ("Racks", category fluxrig): every rack in
 * the registry with its state, times, address, versions and last inventory (see
 * {@link RacksPage}). It exists while the Mixer runs: the {@link RackRegistry} service it needs is
 * registered by the Mixer once its NATS store is connected. The scaffolding (HTML answer, errors)
 * is {@link MixerConsolePage}'s. A request shows one page (filtered by state and labels, query parameters as the operator API's
 * {@code /api/racks}), read from the registry's in-memory view; the inventories of the page's
 * racks are read from NATS on the request thread. Stateless, thread-safe.
 */
@Component(service = Servlet.class)
@WebConsolePlugin(label = "racks", title = "Racks", category = "fluxrig")
public final class RacksConsolePlugin extends MixerConsolePage {
    private static final long serialVersionUID = 1L;

    private final transient RackRegistry racks;

    /** @param racks the Mixer's rack registry */
    @Activate
    public RacksConsolePlugin(@Reference RackRegistry racks) {
        super("racks", "the rack registry");
        this.racks = racks;
    }

    @Override
    String render(HttpServletRequest req) throws Refused, IOException {
        RackQuery query;
        try {
            query = RackQuery.parse(name -> values(req, name));
        } catch (RackQuery.Invalid e) {
            throw new Refused(e.getMessage());
        }
        RackQuery.Page page = racks.page(query);
        List<RackRecord> withInventory = new ArrayList<>(page.racks().size());
        for (RackRecord r : page.racks()) { // the listing has no inventories: read the page's racks
            withInventory.add(racks.get(r.name()).map(full -> full.seenAt(Math.max(full.lastSeen(), r.lastSeen()))).orElse(r));
        }
        return RacksPage.render(new RackQuery.Page(page.total(), page.counts(), withInventory, page.next()), query,
                racks.summaries()::of, System.currentTimeMillis());
    }

    /** The query's values; the form's space-separated {@code labels} field adds {@code label} values. */
    private static List<String> values(HttpServletRequest req, String name) {
        List<String> out = new ArrayList<>();
        String[] v = req.getParameterValues(name);
        if (v != null) {
            out.addAll(List.of(v));
        }
        String form = req.getParameter("labels");
        if (OperatorPaths.LABEL.equals(name) && form != null) {
            for (String l : form.trim().split("\\s+")) {
                if (!l.isEmpty()) {
                    out.add(l);
                }
            }
        }
        if (OperatorPaths.STATE.equals(name) || OperatorPaths.AFTER.equals(name)) {
            out.removeIf(String::isEmpty); // the form's "any" and an empty cursor
        }
        return out;
    }
}
