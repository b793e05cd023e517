package io.fluxrig.rack.snake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.HostedCapability;
import org.osgi.service.resolver.ResolutionException;
import org.osgi.service.resolver.ResolveContext;
import org.osgi.service.resolver.Resolver;

/**
 * Dry-runs a bundle against this rack's own framework without installing it: the candidate
 * ({@link ManifestResource}) is handed to the framework's {@link Resolver} service with a
 * {@link ResolveContext} whose providers are the capabilities of every bundle now installed
 * (the system bundle's packages and {@code osgi.ee} included) plus the candidate's own, and whose
 * existing wirings are the framework's. The answer is the list of requirements nothing here
 * satisfies. Nothing in the framework changes.
 *
 * <p>Threading: called on the command thread; reads framework state that may change meanwhile
 * (a snapshot, as the inventory's).
 */
final class BundlePreflight {
    private final BundleContext context;

    /** @param context any bundle context of the rack's framework */
    BundlePreflight(BundleContext context) {
        this.context = context;
    }

    /** The outcome. @param bundle name and version @param missing unsatisfied requirements, empty when it resolves */
    record Result(String bundle, List<String> missing) {
        boolean resolves() {
            return missing.isEmpty();
        }
    }

    /**
     * @param jar the candidate bundle
     * @return which requirements are missing (empty: it would resolve)
     * @throws IllegalArgumentException when the jar is not a bundle (the reason names the header)
     * @throws IOException when it cannot be read
     */
    Result check(Path jar) throws IOException {
        Manifest m;
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in, false)) {
            m = j.getManifest();
        }
        if (m == null) {
            throw new IllegalArgumentException("the jar has no manifest (not an OSGi bundle)");
        }
        ManifestResource candidate = new ManifestResource(m);
        String name = candidate.symbolicName() + " " + candidate.version();
        if (candidate.fragment()) {
            return new Result(name + " (a fragment: attached by its host, not pre-flighted)", List.of());
        }
        ServiceReference<Resolver> ref = context.getServiceReference(Resolver.class);
        Resolver resolver = ref == null ? null : context.getService(ref);
        if (resolver == null) {
            throw new IOException("this rack's framework registers no org.osgi.service.resolver.Resolver service");
        }
        try {
            resolver.resolve(new Context(candidate));
            return new Result(name, List.of());
        } catch (ResolutionException e) {
            List<String> missing = new ArrayList<>();
            for (Requirement r : e.getUnresolvedRequirements()) {
                missing.add(describe(r));
            }
            if (missing.isEmpty()) {
                missing.add(e.getMessage());
            }
            return new Result(name, missing);
        } finally {
            context.ungetService(ref);
        }
    }

    static String describe(Requirement r) {
        String filter = r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        String who = r.getResource() instanceof ManifestResource ? "" : " (of " + r.getResource() + ")";
        return r.getNamespace() + " " + (filter == null ? "(any)" : filter) + who;
    }

    /** The rack as the resolver sees it: installed bundles plus the one candidate. */
    private final class Context extends ResolveContext {
        private final ManifestResource candidate;
        private final List<BundleRevision> revisions = new ArrayList<>();
        private final Map<Resource, Wiring> wirings = new HashMap<>();
        private final Map<String, Filter> filters = new HashMap<>();

        Context(ManifestResource candidate) {
            this.candidate = candidate;
            for (Bundle b : context.getBundles()) {
                BundleRevision rev = b.getState() == Bundle.UNINSTALLED ? null : b.adapt(BundleRevision.class);
                if (rev == null) {
                    continue;
                }
                revisions.add(rev);
                if (rev.getWiring() != null) {
                    wirings.put(rev, rev.getWiring());
                }
            }
        }

        @Override
        public Collection<Resource> getMandatoryResources() {
            return List.of(candidate);
        }

        @Override
        public List<Capability> findProviders(Requirement requirement) {
            List<Capability> out = new ArrayList<>();
            String ns = requirement.getNamespace();
            Filter f = filter(requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
            for (Capability c : candidate.getCapabilities(ns)) {
                if (f == null || f.matches(c.getAttributes())) {
                    out.add(c);
                }
            }
            for (BundleRevision rev : revisions) {
                for (Capability c : rev.getCapabilities(ns)) {
                    if (f == null || f.matches(c.getAttributes())) {
                        out.add(c);
                    }
                }
            }
            return out;
        }

        @Override
        public int insertHostedCapability(List<Capability> capabilities, HostedCapability hostedCapability) {
            capabilities.add(hostedCapability);
            return capabilities.size() - 1;
        }

        @Override
        public boolean isEffective(Requirement requirement) {
            String e = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
            return e == null || Namespace.EFFECTIVE_RESOLVE.equals(e);
        }

        @Override
        public Map<Resource, Wiring> getWirings() {
            return wirings;
        }

        private Filter filter(String text) {
            if (text == null) {
                return null;
            }
            return filters.computeIfAbsent(text, t -> {
                try {
                    return FrameworkUtil.createFilter(t);
                } catch (InvalidSyntaxException e) {
                    throw new IllegalArgumentException("requirement filter '" + t + "' is malformed: " + e.getMessage());
                }
            });
        }
    }
}
