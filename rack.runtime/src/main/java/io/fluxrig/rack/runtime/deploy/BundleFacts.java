package io.fluxrig.rack.runtime.deploy;

/**
 * What the manifest of a bundle jar says about it. Immutable.
 *
 * @param symbolicName {@code Bundle-SymbolicName} without directives
 * @param version {@code Bundle-Version}, {@code 0.0.0} when absent
 * @param fragment true when it has a {@code Fragment-Host} (it resolves, it never starts)
 */
record BundleFacts(String symbolicName, String version, boolean fragment) {
    @Override
    public String toString() {
        return symbolicName + " " + version;
    }
}
