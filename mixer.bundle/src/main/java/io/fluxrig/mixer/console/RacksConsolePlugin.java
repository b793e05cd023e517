package io.fluxrig.mixer.console;

import io.fluxrig.console.plugin.WebConsolePlugin;
import io.fluxrig.mixer.store.RackQuery;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.mixer.store.RackRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.owasp.encoder.Encode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console page {@code /system/console/racks} ("Racks", category fluxrig): every rack in
 * the registry with its state, times, address, versions and last inventory (see
 * {@link RacksPage}). It exists while the Mixer runs: the {@link RackRegistry} service it needs is
 * registered by the Mixer once its NATS store is connected. A plain servlet: Web Console 5 wraps
 * the HTML of a labelled servlet in its own frame and checks the console credentials first.
 * A request shows one page (filtered by state and labels, query parameters as the operator API's
 * {@code /api/racks}), read from the registry's in-memory view; the inventories of the page's
 * racks are read from NATS on the request thread. Stateless, thread-safe.
 */
@Component(service = Servlet.class)
@WebConsolePlugin(label = "racks", title = "Racks", category = "fluxrig")
public final class RacksConsolePlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RacksConsolePlugin.class);

    private final transient RackRegistry racks;

    /** @param racks the Mixer's rack registry */
    @Activate
    public RacksConsolePlugin(@Reference RackRegistry racks) {
        this.racks = racks;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        RackQuery query;
        try {
            query = RackQuery.parse(name -> values(req, name));
        } catch (RackQuery.Invalid e) {
            resp.setStatus(400);
            resp.getWriter().println("<div id=\"fluxrig-racks-error\" class=\"ui-state-error\"><p>"
                    + Encode.forHtml(e.getMessage()) + "</p></div>");
            return;
        }
        RackQuery.Page page = racks.page(query);
        List<RackRecord> withInventory = new ArrayList<>(page.racks().size());
        try {
            for (RackRecord r : page.racks()) { // the listing has no inventories: read the page's racks
                withInventory.add(racks.get(r.name()).map(full -> full.seenAt(Math.max(full.lastSeen(), r.lastSeen()))).orElse(r));
            }
        } catch (IOException e) {
            LOG.warn("Racks page: the registry could not be read: {}", e.toString());
            resp.getWriter().println("<div id=\"fluxrig-racks-error\" class=\"ui-state-error\"><p>The rack registry "
                    + "could not be read from NATS: " + Encode.forHtml(String.valueOf(e.getMessage())) + "</p></div>");
            return;
        }
        resp.getWriter().print(RacksPage.render(new RackQuery.Page(page.total(), page.counts(), withInventory, page.next()), query,
                System.currentTimeMillis()));
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
