package io.fluxrig.rack.runtime.console;

import io.fluxrig.console.plugin.WebConsolePlugin;
import io.fluxrig.rack.runtime.apply.PatchManager;
import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.patch.Link;
import io.fluxrig.rack.runtime.route.GearBinder;
import io.fluxrig.rack.runtime.route.GearRow;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Objects;
import org.owasp.encoder.Encode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Web Console page {@code /system/console/fluxrig}: rack name, patch file, the gear instance
 * table ({@code id="fluxrig-gears"}, one {@code <tr data-gear="NAME">} per instance), the links
 * table ({@code id="fluxrig-links"}) and the last patch refusal. A plain servlet: Web Console 5
 * wraps an HTML response of a labelled servlet in its own header, navigation and footer, so this
 * writes only the content area. Every value is HTML-escaped with the OWASP encoder (safe in
 * element content and quoted attributes alike). Stateless and thread-safe.
 */
@Component(service = Servlet.class)
@WebConsolePlugin(label = "fluxrig", title = "fluxrig", category = "fluxrig")
public final class RackConsolePlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PatchManager patches;
    private final transient GearBinder binder;

    /**
     * @param patches the patch state
     * @param binder the gear instances
     */
    @Activate
    public RackConsolePlugin(@Reference PatchManager patches, @Reference GearBinder binder) {
        this.patches = patches;
        this.binder = binder;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        RackView v = RackView.of(patches, binder);
        PatchStatus s = v.status();
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        PrintWriter w = resp.getWriter();
        w.println("<div id=\"fluxrig\">");
        w.println("<p class=\"statline\">Rack <b id=\"fluxrig-rack\">" + Encode.forHtml(v.settings().name())
                + "</b>, patch <code id=\"fluxrig-patch\">" + Encode.forHtml(s.file()) + "</code>"
                + (s.appliedAt() == null ? "" : ", applied " + Encode.forHtml(s.appliedAt().toString()))
                + (s.waiting() ? ", waiting for gear types to install" : "") + "</p>");
        if (v.wire() != null) {
            w.println("<p id=\"fluxrig-wire\" data-connected=\"" + v.wire().connected() + "\""
                    + (v.wire().connected() ? "" : " class=\"ui-state-error\"") + ">Wire transport: <b>"
                    + Encode.forHtml(v.wire().state()) + "</b> &mdash; " + Encode.forHtml(Objects.toString(v.wire().detail(), "")) + "</p>");
        }
        if (!s.refusal().isEmpty()) {
            w.println("<div id=\"fluxrig-refusal\" class=\"ui-state-error\"><p>Last patch refused ("
                    + Encode.forHtml(Objects.toString(s.refusedAt(), "")) + "); the running flow is unchanged:</p><ul>");
            s.refusal().forEach(p -> w.println("<li>" + Encode.forHtml(p) + "</li>"));
            w.println("</ul></div>");
        }
        w.println("<table id=\"fluxrig-gears\" class=\"tablesorter nicetable\"><thead><tr><th>Name</th><th>Type</th>"
                + "<th>Bundle</th><th>State</th><th>In</th><th>Out</th><th>Errors</th><th>Buffered</th>"
                + "<th>Unrouted</th></tr></thead><tbody>");
        for (GearRow r : v.gears()) {
            w.println("<tr data-gear=\"" + Encode.forHtml(r.name()) + "\"><td>" + Encode.forHtml(r.name()) + "</td><td>"
                    + Encode.forHtml(r.type()) + "</td><td>" + Encode.forHtml(r.bundle()) + "</td><td class=\"state\">"
                    + Encode.forHtml(r.state()) + "</td><td class=\"in\">" + r.in() + "</td><td class=\"out\">" + r.out()
                    + "</td><td class=\"errors\">" + r.errors() + "</td><td class=\"buffered\">" + r.buffered()
                    + "</td><td class=\"unrouted\">" + r.unrouted() + "</td></tr>");
        }
        w.println("</tbody></table>");
        w.println("<table id=\"fluxrig-links\" class=\"nicetable\"><thead><tr><th>From</th><th>To</th></tr></thead><tbody>");
        for (Link l : v.links()) {
            w.println("<tr data-link=\"" + Encode.forHtml(l.toString()) + "\"><td>" + Encode.forHtml(l.from().toString()) + "</td><td>" + Encode.forHtml(l.to().toString())
                    + "</td></tr>");
        }
        w.println("</tbody></table>");
        w.println("</div>");
    }
}
