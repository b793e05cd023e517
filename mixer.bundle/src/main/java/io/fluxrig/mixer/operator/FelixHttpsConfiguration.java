package io.fluxrig.mixer.operator;

import java.io.IOException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points Felix HTTP at the operator endpoint: while an {@link OperatorEndpoint} is registered (the
 * Mixer runs), the {@value OperatorEndpoint#FELIX_HTTP_PID} configuration holds its address and key
 * store, and Felix HTTP (re)starts its Jetty on it. The Mixer's bndrun disables plain HTTP as a
 * framework property, so before this runs Felix HTTP listens nowhere. The configuration is left in
 * place when the Mixer stops (the framework cache is fresh at each launch; a new start of the Mixer
 * writes a new one): removing it during a framework shutdown would only make Felix HTTP restart.
 * Activation only hands the properties to ConfigurationAdmin, which delivers them on its own thread.
 */
@Component(immediate = true)
public final class FelixHttpsConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(FelixHttpsConfiguration.class);

    /**
     * @param cm ConfigurationAdmin
     * @param endpoint the operator endpoint of the running Mixer
     * @throws IOException when ConfigurationAdmin cannot store the configuration
     */
    @Activate
    public FelixHttpsConfiguration(@Reference ConfigurationAdmin cm, @Reference OperatorEndpoint endpoint) throws IOException {
        Configuration c = cm.getConfiguration(OperatorEndpoint.FELIX_HTTP_PID, "?");
        if (c.updateIfDifferent(endpoint.felixConfiguration())) {
            LOG.info("Felix HTTP configured for the operator endpoint {} (HTTPS only, TLS 1.3)", endpoint.url());
        }
    }
}
