package io.fluxrig.rack.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.console.plugin.WebConsolePlugin;
import io.fluxrig.telemetry.RackFlow;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Web Console page {@code /system/console/fluxrig-live}: the rack's gears and wire
 * subscriptions with live rates, errors, pending counts and call-duration percentiles, refreshing
 * by itself; at the top the flow as a picture (inline SVG the page builds from the same JSON: gears
 * as boxes, links as arrows, wires as ports at the rack's edges, each box with its rates, errors
 * and percentiles). The page ({@code live.html}, content area only: Web Console 5 wraps an HTML answer of
 * a labelled servlet in its header and navigation) polls {@code fluxrig-live/data.json} every two
 * seconds: same origin, under {@code /system/console}, so behind the console's authentication and
 * its same-origin filter like every console page. The JSON ({@link LiveView}) holds cumulative
 * counts read from the rack's metrics, the patch's links and each gear's p50/p99 over the rack's
 * recent window (since start when the window saw no call); the page computes rates from two polls
 * and builds its rows and picture with {@code textContent} and DOM calls only (no markup from data).
 * Below them, the rack's last failed messages ({@link FailedMessageLog}, {@code failed} in the
 * JSON), reasons masked.
 *
 * <p>A Web Console plugin like every fluxrig page (console.guard's {@link WebConsolePlugin}
 * property type, read by bnd at build time: no console type at run time), present while
 * {@link TelemetryComponent} publishes its {@link LiveSources}, i.e. while metrics are on in a rack.
 * Stateless and thread-safe; the rack runtime's {@link RackFlow} comes and goes (set by SCR, read by
 * requests).
 */
@Component(service = Servlet.class)
@WebConsolePlugin(label = LiveConsolePlugin.LABEL, title = "fluxrig live", category = "fluxrig")
public final class LiveConsolePlugin extends HttpServlet {
    /** The page's label: {@code /system/console/fluxrig-live}. */
    static final String LABEL = "fluxrig-live";
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    /** The rack's metrics, and its last failed messages shown below the picture and tables ({@code failed} in the JSON). */
    private final transient LiveSources sources;
    /** The rack runtime's links and recent processing times for the picture; null while it is not there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile RackFlow flow;

    /** @param sources what the page shows, from {@link TelemetryComponent} */
    @Activate
    public LiveConsolePlugin(@Reference LiveSources sources) {
        this.sources = sources;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        if (req.getRequestURI().endsWith("/" + LABEL + "/data.json")) {
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            try (JsonGenerator g = JSON.createGenerator(resp.getOutputStream())) {
                RackFlow f = flow;
                Map<String, Object> view = f == null ? LiveView.of(sources.reader(), System.currentTimeMillis())
                        : LiveView.of(sources.reader(), System.currentTimeMillis(), f.links(), f.latencies());
                view.put("failed", sources.failed().recent());
                write(g, view);
            }
            return;
        }
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        try (InputStream page = LiveConsolePlugin.class.getResourceAsStream("live.html")) {
            resp.getWriter().write(new String(page.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Writes maps, lists, strings and numbers (all {@link LiveView} and {@link FailedMessageLog} make). */
    static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v == null) {
            g.writeNull();
        } else {
            g.writeString(v.toString());
        }
    }
}
