package io.fluxrig.mixer.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Cumulative wave sizes from a spec such as {@code [1, 50%, 100%]}: each entry is a count or a
 * share of the selected racks (rounded up), never fewer than the wave before; the last wave always
 * reaches every rack. Stateless.
 */
final class WavePlan {
    private WavePlan() {
    }

    /**
     * @param spec the waves as given
     * @throws IllegalArgumentException naming the entry that is not a count or a share
     */
    static void check(List<String> spec) {
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("waves: at least one wave, e.g. 1,50%,100%");
        }
        for (int i = 0; i < spec.size(); i++) {
            String w = spec.get(i) == null ? "" : spec.get(i).strip();
            if (!w.matches("[1-9][0-9]{0,5}|([1-9][0-9]?|100)%")) {
                throw new IllegalArgumentException("waves[" + i + "]: '" + w + "' must be a count (1..999999) or a share (1%..100%)");
            }
        }
    }

    /**
     * @param spec the waves ({@link #check}ed)
     * @param racks how many racks are selected
     * @return the cumulative number of racks changed once each wave is open
     */
    static List<Integer> targets(List<String> spec, int racks) {
        List<Integer> out = new ArrayList<>();
        int last = 0;
        for (String s : spec) {
            String w = s.strip();
            int n = w.endsWith("%") ? (int) Math.ceil(racks * Integer.parseInt(w.substring(0, w.length() - 1)) / 100.0)
                    : Integer.parseInt(w);
            last = Math.max(last, Math.min(n, racks));
            out.add(last);
        }
        out.set(out.size() - 1, racks);
        return out;
    }
}
