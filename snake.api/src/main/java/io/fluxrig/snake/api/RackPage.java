package io.fluxrig.snake.api;

import java.util.List;
import java.util.Map;

/**
 * The answer to {@code GET} {@link OperatorPaths#RACKS}: one page of the racks that match the
 * query, sorted by name. Pages are keyed by name ({@link #next}), so a rack enrolled or removed
 * while a client pages through never shifts the racks of the following pages.
 *
 * @param total how many racks match the query (all pages)
 * @param counts how many racks match per state, over all pages
 * @param racks this page's racks
 * @param next the {@link OperatorPaths#AFTER} value of the next page, null on the last page
 */
public record RackPage(long total, Map<String, Long> counts, List<RackInfo> racks, String next) {
    /** Null becomes empty. */
    public RackPage {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        racks = racks == null ? List.of() : List.copyOf(racks);
    }
}
