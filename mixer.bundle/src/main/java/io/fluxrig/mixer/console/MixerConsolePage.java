package io.fluxrig.mixer.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import org.owasp.encoder.Encode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every fluxrig page of the Mixer's Web Console does around its content: an HTML answer that
 * is never cached, the content from {@link #render}, a request the page cannot show answered 400
 * with the reason, and a store it cannot read (NATS) logged and said on the page, in a
 * {@code <div id="fluxrig-PAGE-error" class="ui-state-error">}. A subclass is a plain servlet
 * registered with {@code @WebConsolePlugin}: Web Console 5 checks the console credentials first
 * and wraps the HTML of a GET in its own frame (a POST's answer goes out as it is). Stateless;
 * called on Felix HTTP's request threads.
 */
abstract class MixerConsolePage extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MixerConsolePage.class);

    private final String label;
    private final String what;

    /**
     * @param label the page's label (its path under {@code /system/console/} and its element ids)
     * @param what what the page reads from NATS, for the error text ("the rack registry")
     */
    MixerConsolePage(String label, String what) {
        this.label = label;
        this.what = what;
    }

    /** A request the page refuses (a malformed filter, a form field); the message names the field. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * @param req the request
     * @return the page's content (an HTML fragment, every value escaped)
     * @throws Refused when the request cannot be shown
     * @throws IOException when the store cannot be read
     */
    abstract String render(HttpServletRequest req) throws Refused, IOException;

    /** The path under the page's label of its data as JSON, for the page's own polling. */
    static final String DATA = "data.json";

    /**
     * @param req the request for {@code <label>/}{@value #DATA}
     * @return the page's data as a JSON document, or null when the page has none (then the HTML is answered)
     * @throws IOException when the store cannot be read
     */
    byte[] data(HttpServletRequest req) throws IOException {
        return null;
    }

    @Override
    protected final void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getRequestURI().endsWith("/" + label + "/" + DATA)) {
            byte[] json;
            try {
                json = data(req);
            } catch (IOException e) {
                LOG.warn("{} page data: {} could not be read: {}", label, what, e.toString());
                resp.setHeader("Cache-Control", "no-store");
                resp.sendError(503, capitalised(what) + " could not be read from NATS");
                return;
            }
            if (json != null) {
                resp.setContentType("application/json");
                resp.setHeader("Cache-Control", "no-store");
                resp.getOutputStream().write(json);
                return;
            }
        }
        PrintWriter out = html(resp);
        try {
            out.print(render(req));
        } catch (Refused e) {
            resp.setStatus(400);
            out.println(error(e.getMessage()));
        } catch (IOException e) {
            LOG.warn("{} page: {} could not be read: {}", label, what, e.toString());
            out.println(error(capitalised(what) + " could not be read from NATS: " + e.getMessage()));
        }
    }

    /** @return the answer's writer, for HTML that no cache keeps */
    static PrintWriter html(HttpServletResponse resp) throws IOException {
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        return resp.getWriter();
    }

    /** @param text the reason (escaped here) @return the page's error box */
    final String error(String text) {
        return "<div id=\"fluxrig-" + label + "-error\" class=\"ui-state-error\"><p>" + Encode.forHtml(String.valueOf(text))
                + "</p></div>";
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
