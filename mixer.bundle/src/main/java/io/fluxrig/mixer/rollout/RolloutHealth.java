package io.fluxrig.mixer.rollout;

import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.RackSummary;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The soak's traffic gate, as pure logic: whether a rack's latest heartbeat summary
 * ({@link RackSummary}) keeps the gear instances a rollout touched within the request's limits
 * ({@link RolloutRequest#errorRateLimit()}, {@link RolloutRequest#p99Limit()}).
 *
 * <p>The touched instances: every one when the rollout applies a patch; otherwise those whose
 * bound bundle is one the rollout installs, known by the symbolic name in each step's signed
 * release. Without that (unsigned bundles, no instance of them reported, a rack that sends no
 * per-gear part) the gate judges the whole rack: its error rate and its p99 (the slowest
 * instance's). The error rate is over one heartbeat interval (failed / handed in, weighted by
 * each instance's traffic); the p99 over the rack's recent window, so a soak judges only a summary
 * that arrived after the change. Stateless; callable from any thread.
 */
final class RolloutHealth {
    private RolloutHealth() {
    }

    /**
     * @param q the rollout's request (its steps and limits)
     * @param summary the rack's latest summary, or null (none yet: nothing to judge)
     * @param gearBundles each gear instance's bound bundle ({@code symbolicName version}, as the
     *        rack reports it), empty when unknown
     * @return why the rack fails the gate, or null when it passes (or there is nothing to judge)
     */
    static String problem(RolloutRequest q, RackSummary summary, Map<String, String> gearBundles) {
        if (summary == null) {
            return null;
        }
        Set<String> touched = touched(q.steps(), gearBundles);
        double errorRate;
        Double p99;
        String scope;
        if (touched == null || summary.gears() == null) {
            errorRate = summary.errorRate();
            p99 = summary.p99Millis();
            scope = "the rack";
        } else {
            double in = 0;
            double failed = 0;
            p99 = null;
            for (String g : touched) {
                RackSummary.GearSummary s = summary.gears().get(g);
                if (s == null) {
                    continue;
                }
                in += s.inPerSecond();
                failed += s.inPerSecond() * s.errorRate();
                if (s.p99Millis() != null && (p99 == null || s.p99Millis() > p99)) {
                    p99 = s.p99Millis();
                }
            }
            errorRate = in == 0 ? 0 : failed / in;
            scope = (touched.size() == 1 ? "gear " : "gears ") + String.join(", ", touched);
        }
        if (errorRate > q.errorRateLimit()) {
            return String.format(Locale.ROOT, "health: error rate %.2f %% of %s over %d s (at most %.2f %% allowed)",
                    100 * errorRate, scope, Math.max(1, summary.intervalMillis() / 1000), 100 * q.errorRateLimit());
        }
        if (p99 != null && p99 > q.p99Limit()) {
            return String.format(Locale.ROOT, "health: p99 processing time %.1f ms of %s (at most %.1f ms allowed)", p99, scope,
                    q.p99Limit());
        }
        return null;
    }

    /**
     * @return the gear instances bound to a bundle the steps install, sorted; null for every
     *         instance (a patch step, or no instance known to run one of the bundles)
     */
    static Set<String> touched(List<RolloutStep> steps, Map<String, String> gearBundles) {
        Set<String> names = new TreeSet<>();
        for (RolloutStep s : steps) {
            if (CommandType.APPLY_PATCH.wire().equals(s.type())) {
                return null;
            }
            if (CommandType.INSTALL_BUNDLE.wire().equals(s.type())) {
                String n = bundleName(s);
                if (n == null) {
                    return null;
                }
                names.add(n);
            }
        }
        Set<String> out = new TreeSet<>();
        gearBundles.forEach((gear, bundle) -> {
            int space = bundle == null ? -1 : bundle.indexOf(' ');
            if (names.contains(space < 0 ? bundle : bundle.substring(0, space))) {
                out.add(gear);
            }
        });
        return out.isEmpty() ? null : out;
    }

    /** @return the symbolic name in a step's signed release, or null (unsigned, or unreadable) */
    private static String bundleName(RolloutStep s) {
        if (s.release() == null) {
            return null;
        }
        try {
            SignedRelease r = SnakeCodec.json().read(s.release().getBytes(StandardCharsets.UTF_8), SignedRelease.class);
            return r.statement() == null ? null : r.statement().name();
        } catch (SnakeCodec.DecodeException e) {
            return null; // the rack refuses it anyway; judge the whole rack meanwhile
        }
    }
}
