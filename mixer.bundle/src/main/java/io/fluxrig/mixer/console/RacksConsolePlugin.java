package io.fluxrig.mixer.console;

import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
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
 * Each request reads the registry from NATS on the request thread. Stateless, thread-safe.
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
        List<RackRecord> list;
        try {
            list = racks.list();
        } catch (IOException e) {
            LOG.warn("Racks page: the registry could not be read: {}", e.toString());
            resp.getWriter().println("<div id=\"fluxrig-racks-error\" class=\"ui-state-error\"><p>The rack registry "
                    + "could not be read from NATS: " + Encode.forHtml(Objects.toString(e.getMessage(), "")) + "</p></div>");
            return;
        }
        resp.getWriter().print(RacksPage.render(list, System.currentTimeMillis()));
    }
}
