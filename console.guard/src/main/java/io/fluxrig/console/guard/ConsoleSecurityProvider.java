package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.util.Hashtable;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Web Console's security provider ({@link BasicAuthentication}: HTTP Basic against
 * the configured user and PBKDF2 hash) while configuration {@value ConsoleCredentialsFile#PID}
 * holds valid credentials.
 *
 * <p>The provider is registered with {@code webconsole.security.provider.id=}{@value #ID}. Racks
 * and the Mixer start with the framework property {@code felix.webconsole.security.providers=fluxrig},
 * so the Web Console registers its servlet only while this provider exists: a console without
 * credentials is not served at all, and Felix's own admin/admin provider (ranked lowest) never
 * answers. A configuration without a hash is a first start's (or a hand-started jar's) state until
 * {@link CredentialsBootstrap} writes one: said in one INFO line. An empty user or a hash that is
 * not a {@link ConsolePasswordHash} with enough iterations is refused in one ERROR line naming the
 * property. Activation registers (or not) and deactivation unregisters; no I/O.
 */
@Component(immediate = true, service = {}, configurationPid = ConsoleCredentialsFile.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleSecurityProvider {
    /** The provider id racks and the Mixer require ({@code felix.webconsole.security.providers}). */
    public static final String ID = "fluxrig";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);

    /** The provider's registration; null while the configuration holds no valid credentials. */
    private final ServiceRegistration<SecurityProvider> registration;

    @Activate
    public ConsoleSecurityProvider(BundleContext context, ConsoleConfig config) {
        String refused = refusal(config);
        if (refused != null) {
            registration = null;
            boolean noHashYet = !refused.startsWith(ConsoleCredentialsFile.USER)
                    && (config.password_hash() == null || config.password_hash().isBlank());
            if (noHashYet) {
                LOG.info("Web Console not served yet: configuration {} has no {} (one is generated at first start)",
                        ConsoleCredentialsFile.PID, ConsoleCredentialsFile.PASSWORD_HASH);
            } else {
                LOG.error("Web Console not served: configuration {} property {}", ConsoleCredentialsFile.PID, refused);
            }
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(SecurityProvider.PROPERTY_ID, ID);
        registration = context.registerService(SecurityProvider.class,
                new BasicAuthentication(new PasswordCheck(config.user().strip(), config.password_hash().strip())), props);
    }

    /** @return what is wrong with the credentials ({@code "<property>: <reason>"}), or null when they are usable */
    static String refusal(ConsoleConfig config) {
        if (config.user() == null || config.user().isBlank()) {
            return ConsoleCredentialsFile.USER + ": empty";
        }
        String invalid = ConsolePasswordHash.invalid(config.password_hash());
        return invalid == null ? null : ConsoleCredentialsFile.PASSWORD_HASH + ": " + invalid;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
    }
}
