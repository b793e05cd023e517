package io.fluxrig.rack.runtime.catalog;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Finds the gear types of the installed bundles: every {@value GearType#NAMESPACE} capability a
 * bundle declares (so a type is known as soon as its bundle is installed, before any instance
 * exists), with the metatype of its factory PID {@code fluxrig.gear.<type>}.
 *
 * <p>Stateless: every {@link #scan()} reads the framework afresh (a few dozen bundles, cheap
 * enough for the patch loop's one-second rhythm). Thread-safe.
 */
public final class GearCatalog {
    private final BundleContext context;
    private final MetaTypeService metaType;

    /**
     * @param context the rack bundle's context (to list bundles)
     * @param metaType the metatype service (to read configuration attributes)
     */
    public GearCatalog(BundleContext context, MetaTypeService metaType) {
        this.context = context;
        this.metaType = metaType;
    }

    /** @return the known gear types by name, sorted; the lowest bundle id wins a duplicate type */
    public Map<String, GearTypeInfo> scan() {
        Map<String, GearTypeInfo> types = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev == null) {
                continue;
            }
            for (Capability cap : rev.getDeclaredCapabilities(GearType.NAMESPACE)) {
                Map<String, Object> attrs = cap.getAttributes();
                if (!(attrs.get(GearType.NAMESPACE) instanceof String type) || types.containsKey(type)) {
                    continue;
                }
                Object description = attrs.get("description");
                types.put(type, new GearTypeInfo(type, ports(attrs.get("in")), ports(attrs.get("out")),
                        b.getSymbolicName() + " " + b.getVersion(), description == null ? "" : description.toString(),
                        attributes(b, type)));
            }
        }
        return types;
    }

    /**
     * @param b a bundle
     * @return whether it declares at least one gear type (false when it has no revision: uninstalled)
     */
    public static boolean declaresGearTypes(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        return rev != null && !rev.getDeclaredCapabilities(GearType.NAMESPACE).isEmpty();
    }

    /** bnd writes an empty port list as {@code in:List<String>=""}: blank entries are no ports. */
    private static List<String> ports(Object value) {
        List<String> ports = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.forEach(p -> addPort(ports, p));
        } else if (value instanceof String[] a) {
            for (String p : a) {
                addPort(ports, p);
            }
        } else if (value != null) {
            for (String p : value.toString().split(",")) {
                addPort(ports, p);
            }
        }
        return ports;
    }

    private static void addPort(List<String> ports, Object p) {
        String s = p == null ? "" : p.toString().trim();
        if (!s.isEmpty() && !ports.contains(s)) {
            ports.add(s);
        }
    }

    private Map<String, ConfigAttribute> attributes(Bundle b, String type) {
        MetaTypeInformation info = metaType.getMetaTypeInformation(b);
        if (info == null) {
            return null;
        }
        ObjectClassDefinition ocd;
        try {
            ocd = info.getObjectClassDefinition(Gear.FACTORY_PID_PREFIX + type, null);
        } catch (IllegalArgumentException noSuchPid) {
            return null;
        }
        AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (ads == null) {
            return null;
        }
        Map<String, ConfigAttribute> out = new HashMap<>();
        for (AttributeDefinition ad : ads) {
            out.put(ad.getID(), new ConfigAttribute(ad.getID(), ad.getType(), ad.getCardinality(), ad::validate));
        }
        return out;
    }
}
