package io.fluxrig.mixer.console;

import io.fluxrig.console.plugin.WebConsolePlugin;
import io.fluxrig.mixer.rollout.Rollouts;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.owasp.encoder.Encode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console page {@code /system/console/rollouts} ("Rollouts", category fluxrig): every
 * rollout with its waves and each rack's state (see {@link RolloutsPage}). It exists while the
 * Mixer runs: the {@link Rollouts} service it needs is registered by the Mixer once its NATS store
 * is connected. Web Console 5 checks the console credentials first. The rollouts are read from
 * NATS on the request thread. Stateless, thread-safe.
 */
@Component(service = Servlet.class)
@WebConsolePlugin(label = "rollouts", title = "Rollouts", category = "fluxrig")
public final class RolloutsConsolePlugin extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RolloutsConsolePlugin.class);

    private final transient Rollouts rollouts;

    /** @param rollouts the Mixer's rollouts */
    @Activate
    public RolloutsConsolePlugin(@Reference Rollouts rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        try {
            resp.getWriter().print(RolloutsPage.render(rollouts.list(), System.currentTimeMillis()));
        } catch (IOException e) {
            LOG.warn("Rollouts page: the rollouts could not be read: {}", e.toString());
            resp.getWriter().println("<div id=\"fluxrig-rollouts-error\" class=\"ui-state-error\"><p>The rollouts could not be "
                    + "read from NATS: " + Encode.forHtml(String.valueOf(e.getMessage())) + "</p></div>");
        }
    }
}
