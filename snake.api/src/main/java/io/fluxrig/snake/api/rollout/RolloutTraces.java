package io.fluxrig.snake.api.rollout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where to find the traces a rollout affects: the spans of the gears it changed carry the span
 * attribute {@value #ATTRIBUTE} with the rollout's id (set by the rack that installed the bundle or
 * applied the patch through the rollout's command), so a trace backend finds them by that attribute
 * between {@code start} (the rollout's creation) and {@code end} (the time of the answer: the changed
 * gears keep running the rollout's code after it ended).
 *
 * @param attribute the span attribute, {@value #ATTRIBUTE}
 * @param value its value: the rollout id
 * @param start epoch millis, the rollout's creation
 * @param end epoch millis, when the answer was made
 * @param searchUrl a link to the search in the operator's trace backend (the Mixer's configured
 *        template filled in), or null when none is configured
 */
public record RolloutTraces(String attribute, String value, long start, long end, String searchUrl) {
    /** The span attribute naming the rollout that last changed the gear (its bundle or the rack's patch). */
    public static final String ATTRIBUTE = "fluxrig.rollout.id";
    /** The span attribute with the signed release's sequence of the gear's bundle (absent when unsigned). */
    public static final String SEQUENCE_ATTRIBUTE = "fluxrig.release.sequence";
    /** The span attribute with the gear bundle's symbolic name. */
    public static final String BUNDLE_ATTRIBUTE = "fluxrig.gear.bundle";
    /** The span attribute with the gear bundle's version. */
    public static final String VERSION_ATTRIBUTE = "fluxrig.gear.bundle.version";

    /**
     * @param r the rollout
     * @param template a search URL with placeholders, or null/blank for none: {@code {rolloutId}},
     *        {@code {start}} and {@code {end}} (epoch millis), {@code {startMicros}} and
     *        {@code {endMicros}} (epoch microseconds, as Jaeger's search takes them),
     *        {@code {startSeconds}} and {@code {endSeconds}}; each value URL-encoded
     * @param now epoch millis
     * @return where the rollout's traces are
     */
    public static RolloutTraces of(Rollout r, String template, long now) {
        long end = Math.max(now, r.createdAt());
        return new RolloutTraces(ATTRIBUTE, r.id(), r.createdAt(), end, fill(template, r.id(), r.createdAt(), end));
    }

    /** @return the template with its placeholders filled in, or null when there is no template */
    static String fill(String template, String id, long start, long end) {
        if (template == null || template.isBlank()) {
            return null;
        }
        return template.strip().replace("{rolloutId}", URLEncoder.encode(id, StandardCharsets.UTF_8))
                .replace("{startMicros}", Long.toString(start * 1000)).replace("{endMicros}", Long.toString(end * 1000))
                .replace("{startSeconds}", Long.toString(start / 1000)).replace("{endSeconds}", Long.toString((end + 999) / 1000))
                .replace("{start}", Long.toString(start)).replace("{end}", Long.toString(end));
    }

    /** @return the filter as text, e.g. {@code fluxrig.rollout.id=0123456789abcdef} */
    public String filter() {
        return attribute + "=" + value;
    }
}
