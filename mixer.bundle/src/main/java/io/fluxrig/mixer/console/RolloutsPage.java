package io.fluxrig.mixer.console;

import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.owasp.encoder.Encode;

/**
 * Renders the content area of the Web Console page "Rollouts": one row per rollout, newest first
 * ({@code id="fluxrig-rollouts"}, {@code <tr data-rollout="ID">}: state, open wave, selector,
 * steps, created, reason), and per rollout a collapsible {@code <details class="fluxrig-rollout">}
 * with each rack's wave, state, time in that state and last detail ({@code <tr data-rack="NAME">}).
 * Read-only: control stays with the operator API and {@code fluxrig rollout pause|resume|abort}.
 * Pure: the records and the time come in, HTML comes out; every value is escaped with the OWASP
 * encoder (details carry racks' text).
 */
final class RolloutsPage {
    private RolloutsPage() {
    }

    /**
     * @param rollouts every rollout, newest first
     * @param now epoch millis the times in state are measured against
     * @return the HTML fragment
     */
    static String render(List<Rollout> rollouts, long now) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<div id=\"fluxrig-mixer\">\n<p class=\"statline\" id=\"fluxrig-rollouts-summary\">").append(rollouts.size())
                .append(rollouts.size() == 1 ? " rollout" : " rollouts");
        rollouts.stream().collect(Collectors.groupingBy(Rollout::state, java.util.TreeMap::new, Collectors.counting()))
                .forEach((state, n) -> h.append(", ").append(n).append(' ').append(Encode.forHtml(state)));
        h.append("; control them with <code>fluxrig rollout pause|resume|abort ID</code></p>\n");
        h.append("<table id=\"fluxrig-rollouts\" class=\"tablesorter nicetable\"><thead><tr><th>Id</th><th>State</th><th>Wave</th>"
                + "<th>Selector</th><th>Steps</th><th>Created (UTC)</th><th>Reason</th></tr></thead><tbody>\n");
        for (Rollout r : rollouts) {
            String id = Encode.forHtml(r.id());
            h.append("<tr data-rollout=\"").append(id).append("\"><td class=\"id\"><a href=\"#rollout-").append(id).append("\">")
                    .append(id).append("</a></td><td class=\"state\">").append(Encode.forHtml(r.state()))
                    .append("</td><td class=\"wave\">").append(r.wave() + 1).append(" of ").append(r.waveTargets().size())
                    .append("</td><td class=\"selector\">").append(Encode.forHtml(r.request().selector()))
                    .append("</td><td class=\"steps\">").append(steps(r.request().steps()))
                    .append("</td><td class=\"created\">").append(RacksPage.time(r.createdAt()))
                    .append("</td><td class=\"reason\">").append(Encode.forHtml(String.valueOf(r.reason()))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        for (Rollout r : rollouts) {
            String id = Encode.forHtml(r.id());
            h.append("<details class=\"fluxrig-rollout\" id=\"rollout-").append(id).append("\" data-rollout=\"").append(id)
                    .append("\"><summary>").append(id).append(": ").append(Encode.forHtml(r.state())).append(", ")
                    .append(r.racks().size()).append(" rack(s)</summary>\n<table class=\"nicetable\"><thead><tr><th>Rack</th>"
                            + "<th>Wave</th><th>State</th><th>In state</th><th>Detail</th></tr></thead><tbody>\n");
            for (Map.Entry<String, Rollout.RackProgress> e : r.racks().entrySet()) {
                Rollout.RackProgress p = e.getValue();
                h.append("<tr data-rack=\"").append(Encode.forHtmlAttribute(e.getKey())).append("\"><td class=\"rack\">")
                        .append(Encode.forHtml(e.getKey())).append("</td><td class=\"wave\">").append(p.wave() + 1)
                        .append("</td><td class=\"state\">").append(Encode.forHtml(p.state())).append("</td><td class=\"age\">")
                        .append(RacksPage.age(now - p.since())).append("</td><td class=\"detail\">")
                        .append(Encode.forHtml(String.valueOf(p.detail()))).append("</td></tr>\n");
            }
            h.append("</tbody></table></details>\n");
        }
        return h.append("</div>\n").toString();
    }

    private static String steps(List<RolloutStep> steps) {
        return steps.stream().map(s -> Encode.forHtml(s.type() + " " + s.name())).collect(Collectors.joining("<br>"));
    }
}
