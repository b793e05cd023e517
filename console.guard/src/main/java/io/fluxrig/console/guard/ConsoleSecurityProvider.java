package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console's security provider: HTTP Basic against the configured user and PBKDF2 hash.
 *
 * <p>Registered with {@code webconsole.security.provider.id=}{@value #ID}. Racks and the Mixer
 * start with the framework property {@code felix.webconsole.security.providers=fluxrig}, so the
 * Web Console registers its servlet only while this provider exists, and this provider exists
 * only while configuration {@value ConsoleCredentialsFile#PID} holds a valid hash: a console
 * without credentials is not served at all, and Felix's own admin/admin provider (ranked lowest)
 * never answers. Activation fails, naming the property, when the user is empty or the hash is not
 * a {@link ConsolePasswordHash} with enough iterations.
 *
 * <p>Called on HTTP request threads; thread-safe ({@link PasswordCheck}).
 */
@Component(service = SecurityProvider.class, configurationPid = ConsoleCredentialsFile.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.ID)
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleSecurityProvider implements SecurityProvider {
    /** The provider id racks and the Mixer require ({@code felix.webconsole.security.providers}). */
    public static final String ID = "fluxrig";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);
    private static final String REALM = "fluxrig console";

    private final PasswordCheck check;

    /** @throws IllegalArgumentException naming the configuration property that is wrong */
    @Activate
    public ConsoleSecurityProvider(ConsoleConfig config) {
        String user = config.user() == null ? "" : config.user().strip();
        if (user.isEmpty()) {
            throw new IllegalArgumentException(ConsoleCredentialsFile.PID + " " + ConsoleCredentialsFile.USER + ": empty");
        }
        String invalid = ConsolePasswordHash.invalid(config.password_hash());
        if (invalid != null) {
            LOG.error("Web Console not served: configuration {} property {}: {}", ConsoleCredentialsFile.PID,
                    ConsoleCredentialsFile.PASSWORD_HASH, invalid);
            throw new IllegalArgumentException(ConsoleCredentialsFile.PID + " " + ConsoleCredentialsFile.PASSWORD_HASH + ": " + invalid);
        }
        this.check = new PasswordCheck(user, config.password_hash().strip());
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
