package io.fluxrig.mixer.store;

import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.RackInfo;
import io.fluxrig.snake.api.RackNames;
import io.fluxrig.snake.api.RackPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Which racks to list ({@link OperatorPaths#RACKS}): states, labels that must all match, the
 * name to start after, the page size. Built from query parameters with {@link #parse}, which
 * refuses a bad value naming the parameter. Immutable; {@link #select} is pure.
 *
 * @param states the states to keep (empty: all)
 * @param labels labels a rack must carry, each with this value (empty: any)
 * @param after list the names that sort after this one (null: from the start)
 * @param limit the page size
 */
public record RackQuery(Set<String> states, Map<String, String> labels, String after, int limit) {
    /** The states a rack can be in. */
    public static final List<String> STATES = List.of(RackRecord.PENDING, RackRecord.ONLINE, RackRecord.OFFLINE,
            RackRecord.REVOKED);

    /** Copies. */
    public RackQuery {
        states = Set.copyOf(states);
        labels = Map.copyOf(labels);
    }

    /** A refused query; the message names the parameter. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason);
        }
    }

    /**
     * @param param a query parameter's values by name (empty list when absent)
     * @return the query
     * @throws Invalid when a parameter is malformed, naming it
     */
    public static RackQuery parse(Function<String, List<String>> param) throws Invalid {
        Set<String> states = new java.util.TreeSet<>();
        for (String v : param.apply(OperatorPaths.STATE)) {
            for (String s : v.split(",")) {
                String t = s.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (!STATES.contains(t)) {
                    throw new Invalid("query '" + OperatorPaths.STATE + "': '" + abbreviate(t) + "' is not a state ("
                            + String.join(", ", STATES) + ")");
                }
                states.add(t);
            }
        }
        Map<String, String> labels = new TreeMap<>();
        for (String v : param.apply(OperatorPaths.LABEL)) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new Invalid("query '" + OperatorPaths.LABEL + "': '" + abbreviate(v) + "' must be key=value");
            }
            labels.put(v.substring(0, eq), v.substring(eq + 1));
        }
        String after = one(param, OperatorPaths.AFTER);
        if (after != null && !after.isEmpty() && !RackNames.valid(after)) {
            throw new Invalid("query '" + OperatorPaths.AFTER + "': " + RackNames.problem(after));
        }
        String limitText = one(param, OperatorPaths.LIMIT);
        int limit = OperatorPaths.DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > OperatorPaths.MAX_LIMIT) {
                throw new Invalid("query '" + OperatorPaths.LIMIT + "': '" + abbreviate(limitText) + "' must be a number from 1 to "
                        + OperatorPaths.MAX_LIMIT);
            }
        }
        return new RackQuery(states, labels, after == null || after.isEmpty() ? null : after, limit);
    }

    private static String one(Function<String, List<String>> param, String name) throws Invalid {
        List<String> v = param.apply(name);
        if (v.size() > 1) {
            throw new Invalid("query '" + name + "': given " + v.size() + " times, at most once");
        }
        return v.isEmpty() ? null : v.get(0);
    }

    /** @param r a rack @return whether it matches the states and labels (not the page) */
    public boolean matches(RackRecord r) {
        if (!states.isEmpty() && !states.contains(r.state())) {
            return false;
        }
        Map<String, String> l = r.labels() == null ? Map.of() : r.labels();
        for (Map.Entry<String, String> want : labels.entrySet()) {
            if (!want.getValue().equals(l.get(want.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** One page of records, with the totals of all pages. */
    public record Page(long total, Map<String, Long> counts, List<RackRecord> racks, String next) {
        /**
         * @param summaries the racks' latest traffic summaries
         * @return the page as the operator API answers it (records without inventory)
         */
        public RackPage info(RackSummaries summaries) {
            return new RackPage(total, counts, racks.stream().map(r -> info(r, summaries.of(r))).toList(), next);
        }

        static RackInfo info(RackRecord r, io.fluxrig.snake.api.RackSummary summary) {
            return new RackInfo(r.name(), r.labels(), r.state(), r.firstSeen(), r.lastSeen(), r.address(),
                    r.heartbeatMillis(), r.versions(), r.certNotAfter(), r.reason(), summary);
        }
    }

    /**
     * @param fromAfter the racks sorted by name, starting after {@link #after}
     * @param all every rack, for the totals
     * @return the page
     */
    public Page select(Stream<RackRecord> fromAfter, Stream<RackRecord> all) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long[] total = {0};
        all.filter(this::matches).forEach(r -> {
            total[0]++;
            counts.merge(String.valueOf(r.state()), 1L, Long::sum);
        });
        List<RackRecord> page = new ArrayList<>(Math.min(limit, 1024));
        boolean[] more = {false};
        fromAfter.filter(this::matches).limit(limit + 1L).forEach(r -> {
            if (page.size() < limit) {
                page.add(r);
            } else {
                more[0] = true;
            }
        });
        String next = more[0] ? page.get(page.size() - 1).name() : null;
        return new Page(total[0], counts, page, next);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
