package io.fluxrig.console.guard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console's security provider: HTTP Basic against one user and PBKDF2 hash, registered by
 * {@link ConsoleSecurityProvider} while the configuration holds them. Called on HTTP request
 * threads; thread-safe ({@link PasswordCheck}).
 */
final class BasicAuthentication implements SecurityProvider {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthentication.class);
    private static final String REALM = "fluxrig console";

    private final PasswordCheck check;

    BasicAuthentication(PasswordCheck check) {
        this.check = check;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        BasicCredentials presented = BasicCredentials.parse(request.getHeader("Authorization"));
        if (presented != null) {
            try {
                if (check.accepts(presented.user(), presented.password())) {
                    request.setAttribute("org.osgi.service.http.authentication.type", HttpServletRequest.BASIC_AUTH);
                    request.setAttribute("org.osgi.service.http.authentication.remote.user", presented.user());
                    return presented.user();
                }
            } finally {
                presented.clear();
            }
        }
        challenge(response);
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user != null;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        challenge(response);
    }

    private static void challenge(HttpServletResponse response) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentLength(0);
        try {
            response.flushBuffer();
        } catch (java.io.IOException e) {
            LOG.debug("Web Console: the 401 could not be sent: {}", e.toString());
        }
    }
}
