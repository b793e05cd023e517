package io.fluxrig.mixer.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.mixer.store.RackQuery;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.snake.api.OperatorPaths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.fluxrig.snake.api.RackSummary;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.owasp.encoder.Encode;

/**
 * Renders the content area of the Web Console page "Racks": a filter form (state, labels, page
 * size), a summary line (matching racks per state), one page of the rack table
 * ({@code id="fluxrig-racks"}, one {@code <tr data-rack="NAME">} per rack) and one collapsible
 * (with the latest heartbeat's msg/s in and out, error % and p99 processing time in ms (each gear
 * instance's in the cell's tooltip): the traffic summary, shown while the
 * rack is online) and one collapsible
 * {@code <details class="fluxrig-rack" data-rack="NAME">} per rack with its last inventory
 * (gear instances, wires, gear types, bundles) for the racks on the page, and a link to the next
 * page. Pure: the records and the time come in, HTML
 * comes out; every value is escaped with the OWASP encoder (names, labels and inventories come from racks). The
 * inventory is read leniently: a field of the wrong shape shows as empty, never as an error.
 */
final class RacksPage {
    private RacksPage() {
    }

    /**
     * @param racks the registry, in display order (all on one page)
     * @param now epoch millis the heartbeat ages are measured against
     * @return the HTML fragment
     */
    static String render(List<RackRecord> racks, long now) {
        return render(racks, r -> null, now);
    }

    /**
     * @param racks the registry, in display order (all on one page)
     * @param summaries each rack's latest traffic summary, or null
     * @param now epoch millis the heartbeat ages are measured against
     * @return the HTML fragment
     */
    static String render(List<RackRecord> racks, Function<RackRecord, RackSummary> summaries, long now) {
        Map<String, Long> byState = racks.stream().collect(Collectors.groupingBy(r -> String.valueOf(r.state()),
                TreeMap::new, Collectors.counting()));
        return render(new RackQuery.Page(racks.size(), byState, racks, null), null, summaries, now);
    }

    /**
     * @param page one page of the racks that match the query, with the totals of all pages
     * @param query what was asked (the filter form shows it; the links keep it), or null for no form
     * @param now epoch millis the heartbeat ages are measured against
     * @return the HTML fragment: the filter form, the summary, the page's rows and their inventories,
     *     and a link to the next page when there is one
     */
    static String render(RackQuery.Page page, RackQuery query, long now) {
        return render(page, query, r -> null, now);
    }

    /**
     * @param page one page of the racks that match the query, with the totals of all pages
     * @param query what was asked, or null for no form
     * @param summaries each rack's latest traffic summary (msg/s in and out, error %), or null
     * @param now epoch millis the heartbeat ages are measured against
     * @return the HTML fragment
     */
    static String render(RackQuery.Page page, RackQuery query, Function<RackRecord, RackSummary> summaries, long now) {
        List<RackRecord> racks = page.racks();
        StringBuilder h = new StringBuilder(8192);
        h.append("<div id=\"fluxrig-mixer\">\n");
        if (query != null) {
            form(h, query);
        }
        h.append("<p class=\"statline\" id=\"fluxrig-racks-summary\">").append(page.total())
                .append(page.total() == 1 ? " rack" : " racks");
        new TreeMap<>(page.counts()).forEach((state, n) -> h.append(", ").append(n).append(' ').append(Encode.forHtml(state)));
        if (page.total() > racks.size()) {
            h.append("; showing ").append(racks.size()).append(racks.isEmpty() ? "" : " (" + Encode.forHtml(racks.get(0).name())
                    + " to " + Encode.forHtml(racks.get(racks.size() - 1).name()) + ")");
        }
        h.append("</p>\n");
        h.append("<table id=\"fluxrig-racks\" class=\"tablesorter nicetable\"><thead><tr><th>Name</th><th>Labels</th>"
                + "<th>State</th><th>msg/s in</th><th>msg/s out</th><th>Error %</th><th>p99 ms</th>"
                + "<th>First seen (UTC)</th><th>Last seen (UTC)</th><th>Last heartbeat</th>"
                + "<th>Address</th><th>Versions</th><th>Certificate until (UTC)</th></tr></thead><tbody>\n");
        for (RackRecord r : racks) {
            String name = Encode.forHtml(r.name());
            h.append("<tr data-rack=\"").append(name).append("\"><td class=\"name\"><a href=\"#rack-").append(name)
                    .append("\">").append(name).append("</a></td><td class=\"labels\">").append(pairs(r.labels(), "="))
                    .append("</td><td class=\"state\">").append(Encode.forHtml(r.state()));
            rates(h, summaries.apply(r));
            h.append("</td><td class=\"first-seen\">")
                    .append(time(r.firstSeen())).append("</td><td class=\"last-seen\">").append(time(r.lastSeen()))
                    .append("</td><td class=\"age\">").append(r.lastSeen() > 0 ? age(now - r.lastSeen()) : "never")
                    .append("</td><td class=\"address\">").append(Encode.forHtml(Objects.toString(r.address(), "")))
                    .append("</td><td class=\"versions\">").append(pairs(r.versions(), " "))
                    .append("</td><td class=\"cert\">").append(time(r.certNotAfter())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        if (query != null && page.next() != null) {
            h.append("<p class=\"pages\"><a id=\"fluxrig-racks-next\" href=\"").append(Encode.forHtmlAttribute(link(query, page.next())))
                    .append("\">Next ").append(query.limit()).append(" racks &raquo;</a></p>\n");
        }
        for (RackRecord r : racks) {
            details(h, r);
        }
        h.append("</div>\n");
        return h.toString();
    }

    /** The filter form: state, labels, page size (GET, so a filtered page can be bookmarked). */
    private static void form(StringBuilder h, RackQuery q) {
        h.append("<form id=\"fluxrig-racks-filter\" method=\"get\" action=\"racks\"><label>State <select name=\"")
                .append(OperatorPaths.STATE).append("\"><option value=\"\">any</option>");
        for (String s : RackQuery.STATES) {
            h.append("<option").append(q.states().equals(Set.of(s)) ? " selected" : "").append('>').append(s).append("</option>");
        }
        String labels = q.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        h.append("</select></label> <label>Labels (key=value, space-separated) <input name=\"labels\" value=\"")
                .append(Encode.forHtmlAttribute(labels)).append("\"></label> <label>Per page <input name=\"")
                .append(OperatorPaths.LIMIT).append("\" size=\"4\" value=\"").append(q.limit())
                .append("\"></label> <button type=\"submit\">Filter</button></form>\n");
    }

    /** @return the page's URL (relative to the console) for the same query starting after {@code after} */
    static String link(RackQuery q, String after) {
        StringBuilder u = new StringBuilder("racks?");
        if (!q.states().isEmpty()) {
            u.append(OperatorPaths.STATE).append('=').append(enc(String.join(",", new java.util.TreeSet<>(q.states())))).append('&');
        }
        new TreeMap<>(q.labels()).forEach((k, v) -> u.append(OperatorPaths.LABEL).append('=').append(enc(k + "=" + v)).append('&'));
        u.append(OperatorPaths.LIMIT).append('=').append(q.limit());
        if (after != null) {
            u.append('&').append(OperatorPaths.AFTER).append('=').append(enc(after));
        }
        return u.toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void details(StringBuilder h, RackRecord r) {
        String name = Encode.forHtml(r.name());
        JsonNode inv = r.inventory();
        h.append("<details class=\"fluxrig-rack\" id=\"rack-").append(name).append("\" data-rack=\"").append(name)
                .append("\"><summary>Rack <b>").append(name).append("</b> (").append(Encode.forHtml(r.state()));
        if (inv != null && inv.isObject()) {
            h.append(": ").append(count(inv, "gears", "gear instance")).append(", ").append(count(inv, "wires", "wire"))
                    .append(", ").append(count(inv, "gearTypes", "gear type")).append(", ")
                    .append(count(inv, "bundles", "bundle"));
        }
        h.append(")</summary>\n");
        if (r.reason() != null && !r.reason().isEmpty()) {
            h.append("<p class=\"reason\">Last state change: ").append(Encode.forHtml(r.reason())).append("</p>\n");
        }
        if (inv == null || !inv.isObject()) {
            h.append("<p class=\"no-inventory\">No heartbeat yet, so no inventory.</p>\n</details>\n");
            return;
        }
        table(h, "gears", "Gear instances", inv.path("gears"),
                new String[] {"Name", "Type", "Bundle", "State", "In", "Out", "Errors"},
                new String[] {"name", "type", "bundle", "state", "in", "out", "errors"});
        JsonNode wt = inv.path("wireTransport");
        if (wt.isObject()) {
            boolean up = wt.path("connected").asBoolean(false);
            h.append("<p class=\"wire-transport").append(up ? "" : " degraded").append("\">Wire transport: <b>")
                    .append(up ? "connected" : "DEGRADED (broker unreachable)").append("</b> &mdash; ")
                    .append(Encode.forHtml(wt.path("detail").asText(""))).append("</p>\n");
        }
        h.append("<h4>Wires</h4>\n<ul class=\"wires\">");
        for (JsonNode w : items(inv.path("wires"))) {
            h.append("<li>").append(Encode.forHtml(w.asText())).append("</li>");
        }
        h.append("</ul>\n");
        table(h, "gear-types", "Gear types", inv.path("gearTypes"), new String[] {"Type", "Bundle"},
                new String[] {"type", "bundle"});
        table(h, "bundles", "Bundles", inv.path("bundles"), new String[] {"Id", "Symbolic name", "Version", "State"},
                new String[] {"id", "symbolicName", "version", "state"});
        releases(h, inv.path("releases"));
        h.append("</details>\n");
    }

    /** The rack's release trust and the signed release it installed last per name (its versions as the publisher numbered them). */
    private static void releases(StringBuilder h, JsonNode rel) {
        if (!rel.isObject()) {
            return;
        }
        boolean pinned = "pinned".equals(rel.path("mode").asText(""));
        List<String> keys = new java.util.ArrayList<>();
        items(rel.path("keys")).forEach(k -> keys.add(k.asText()));
        h.append("<h4>Releases</h4>\n<p class=\"release-trust\">").append(pinned ? "Pinned publisher keys: "
                + Encode.forHtml(String.join(", ", keys)) : "Development mode: unsigned releases accepted").append("</p>\n")
                .append("<table class=\"nicetable releases\"><thead><tr><th>Name</th><th>Kind</th><th>Version</th><th>Sequence</th>"
                        + "<th>Digest</th></tr></thead><tbody>\n");
        JsonNode installed = rel.path("installed");
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        if (installed.isObject()) {
            installed.fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            JsonNode r = installed.path(name);
            h.append("<tr data-release=\"").append(Encode.forHtmlAttribute(name)).append("\"><td class=\"name\">")
                    .append(Encode.forHtml(name)).append("</td>");
            for (String f : new String[] {"kind", "version", "sequence", "digest"}) {
                JsonNode v = r.path(f);
                h.append("<td class=\"").append(f).append("\">").append(v.isValueNode() ? Encode.forHtml(v.asText()) : "").append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void table(StringBuilder h, String css, String title, JsonNode rows, String[] heads, String[] fields) {
        h.append("<h4>").append(title).append("</h4>\n<table class=\"nicetable ").append(css).append("\"><thead><tr>");
        for (String head : heads) {
            h.append("<th>").append(head).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (JsonNode row : items(rows)) {
            h.append("<tr>");
            for (String f : fields) {
                JsonNode v = row.path(f);
                h.append("<td class=\"").append(f).append("\">").append(v.isValueNode() ? Encode.forHtml(v.asText()) : "")
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static Iterable<JsonNode> items(JsonNode n) {
        return n.isArray() ? n : List.of();
    }

    private static String count(JsonNode inv, String field, String noun) {
        int n = inv.path(field).isArray() ? inv.path(field).size() : 0;
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String pairs(Map<String, String> map, String sep) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        return new TreeMap<>(map).entrySet().stream().map(e -> Encode.forHtml(e.getKey()) + sep + Encode.forHtml(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** @param millis epoch millis, 0 for never @return ISO-8601 UTC to the second, or "–" */
    /** The summary's cells (empty without one); the state cell is open before and after. */
    private static void rates(StringBuilder h, RackSummary s) {
        h.append("</td><td class=\"in-rate\">").append(s == null ? "" : String.format(Locale.ROOT, "%.1f", s.inPerSecond()))
                .append("</td><td class=\"out-rate\">").append(s == null ? "" : String.format(Locale.ROOT, "%.1f", s.outPerSecond()))
                .append("</td><td class=\"error-rate\">").append(s == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * s.errorRate()))
                .append("</td><td class=\"p99\"").append(s == null || s.gears() == null ? "" : " title=\"" + Encode.forHtmlAttribute(slowest(s))
                        + "\"").append('>').append(s == null || s.p99Millis() == null ? "" : String.format(Locale.ROOT, "%.2f", s.p99Millis()));
    }

    /** @return the gear instances' p99 in ms, slowest first (the p99 cell's tooltip) */
    private static String slowest(RackSummary s) {
        return s.gears().entrySet().stream().filter(e -> e.getValue().p99Millis() != null)
                .sorted((a, b) -> Double.compare(b.getValue().p99Millis(), a.getValue().p99Millis()))
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue().p99Millis())).collect(Collectors.joining(", "));
    }

    static String time(long millis) {
        return millis <= 0 ? "&ndash;" : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @param millis elapsed time @return e.g. {@code 4 s ago}, {@code 12 min ago}, {@code 3 h ago}, {@code 2 d ago} */
    static String age(long millis) {
        if (millis < 0) {
            return "just now"; // the rack's heartbeat was stamped by another Mixer's clock
        }
        long s = millis / 1000;
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min ago";
        }
        if (s < 2 * 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " d ago";
    }
}
