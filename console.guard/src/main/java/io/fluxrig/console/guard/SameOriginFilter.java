package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.snake.api.LogText;
import io.fluxrig.snake.api.LogThrottle;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's CSRF defence: a servlet filter in front of every path of the Web Console's
 * servlet context ({@code /system/console/*}) that answers 403 to a state-changing request from
 * another origin ({@link OriginCheck}), before the console sees it. Active with or without
 * configuration (then nothing but the console's own origin is allowed). Refusals are logged at
 * WARN, at most one line per second (the count of the others in the next line).
 *
 * <p>Registered with the HTTP whiteboard; called on request threads, thread-safe.
 */
@Component(service = Filter.class, configurationPid = ConsoleCredentialsFile.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {
            // The Web Console's own servlet context (Felix Web Console 5 registers it under this name).
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)",
            "osgi.http.whiteboard.filter.pattern=/*",
            "osgi.http.whiteboard.filter.name=fluxrig-console-same-origin"})
public final class SameOriginFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SameOriginFilter.class);

    private final OriginCheck check;
    private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(1));

    @Activate
    public SameOriginFilter(ConsoleConfig config) {
        this.check = new OriginCheck(Set.of(config.allowed_origins()), config.allow_missing_origin());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        // HTTP/2 has no Host header but an :authority, which the container reports as server name and port.
        String host = req.getHeader("Host");
        if (host == null || host.isBlank()) {
            String name = req.getServerName();
            host = (name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name) + ":" + req.getServerPort();
        }
        String refusal = check.refusal(req.getMethod(), req.getScheme(), host, req.getHeader("Origin"), req.getHeader("Referer"));
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        log(req, refusal);
        HttpServletResponse resp = (HttpServletResponse) response;
        resp.setStatus(HttpServletResponse.SC_FORBIDDEN);
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().println("fluxrig console: cross-origin " + req.getMethod() + " refused: " + refusal);
    }

    private void log(HttpServletRequest req, String refusal) {
        long skipped = throttle.admit();
        if (skipped >= 0) {
            LOG.warn("Web Console: {} {} from {} refused: {}{}", req.getMethod(), LogText.escape(req.getRequestURI()),
                    req.getRemoteAddr(), LogText.escape(refusal), LogThrottle.more(skipped));
        }
    }
}
