package io.fluxrig.rack.runtime;

import java.io.IOException;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix HTTP waits for its configuration ({@code org.apache.felix.http.require.config} in the
 * rack's bndrun), so it never listens on a default port before {@code etc/org.apache.felix.http.cfg}
 * is read. A rack started without that file (by hand, {@code java -jar rack.jar}) still gets its
 * console: when no configuration exists, this component creates one from the framework properties
 * (127.0.0.1:8181 in the bndrun). FileInstall reads {@code etc/} before components start, so with
 * the file present this finds its configuration and does nothing. Activation only talks to
 * ConfigurationAdmin, which delivers on its own thread.
 */
@Component(immediate = true)
public final class HttpDefault {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDefault.class);

    /**
     * @param context for the framework properties
     * @param cm ConfigurationAdmin
     * @throws IOException when ConfigurationAdmin cannot store the configuration
     * @throws InvalidSyntaxException never (a constant filter)
     */
    @Activate
    public HttpDefault(BundleContext context, @Reference ConfigurationAdmin cm) throws IOException, InvalidSyntaxException {
        if (cm.listConfigurations("(service.pid=" + RackConfiguration.HTTP_PID + ")") != null) {
            return;
        }
        Hashtable<String, Object> p = new Hashtable<>();
        for (String key : new String[] {RackSettings.HTTP_PORT, RackSettings.HTTP_HOST}) {
            String v = context.getProperty(key);
            if (v != null) {
                p.put(key, v);
            }
        }
        Configuration c = cm.getConfiguration(RackConfiguration.HTTP_PID, "?");
        c.update(p);
        LOG.info("no etc/{}.cfg: the Web Console listens on the defaults {}", RackConfiguration.HTTP_PID, p);
    }
}
