package io.fluxrig.mixer.console;

import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.owasp.encoder.Encode;

/**
 * Renders the content area of the Web Console page "Rollouts": the start form
 * ({@code id="fluxrig-rollout-start"}: a release file and its signature, kind, selector, waves,
 * soak, failures, on failure, deadline; multipart POST), one row per rollout, newest first
 * ({@code id="fluxrig-rollouts"}, {@code <tr data-rollout="ID">}: state, open wave, selector,
 * steps, created, reason, and the buttons that apply to its state: pause, resume, rollback,
 * abort, each a POST form), and per rollout a collapsible {@code <details class="fluxrig-rollout">}
 * with each rack's wave, state, time in that state and last detail ({@code <tr data-rack="NAME">}).
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
        return render(rollouts, now, null);
    }

    /**
     * @param rollouts every rollout, newest first
     * @param now epoch millis the times in state are measured against
     * @param focus the rollout just started or changed from the page (a notice says its state, its
     *        racks are shown open), or null
     * @return the HTML fragment
     */
    static String render(List<Rollout> rollouts, long now, String focus) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<div id=\"fluxrig-mixer\">\n");
        for (Rollout r : rollouts) {
            if (r.id().equals(focus)) {
                h.append("<p class=\"ui-state-highlight\" id=\"fluxrig-rollout-notice\">Rollout ").append(Encode.forHtml(r.id()))
                        .append(": ").append(Encode.forHtml(r.state())).append(" &mdash; ").append(Encode.forHtml(String.valueOf(r.reason())))
                        .append("</p>\n");
            }
        }
        startForm(h);
        h.append("<p class=\"statline\" id=\"fluxrig-rollouts-summary\">").append(rollouts.size())
                .append(rollouts.size() == 1 ? " rollout" : " rollouts");
        rollouts.stream().collect(Collectors.groupingBy(Rollout::state, java.util.TreeMap::new, Collectors.counting()))
                .forEach((state, n) -> h.append(", ").append(n).append(' ').append(Encode.forHtml(state)));
        h.append("; also <code>fluxrig rollout status|pause|resume|abort|rollback ID</code></p>\n");
        h.append("<table id=\"fluxrig-rollouts\" class=\"tablesorter nicetable\"><thead><tr><th>Id</th><th>State</th><th>Wave</th>"
                + "<th>Selector</th><th>Steps</th><th>Created (UTC)</th><th>Reason</th><th>Actions</th></tr></thead><tbody>\n");
        for (Rollout r : rollouts) {
            String id = Encode.forHtml(r.id());
            h.append("<tr data-rollout=\"").append(id).append("\"><td class=\"id\"><a href=\"#rollout-").append(id).append("\">")
                    .append(id).append("</a></td><td class=\"state\">").append(Encode.forHtml(r.state()))
                    .append("</td><td class=\"wave\">").append(r.wave() + 1).append(" of ").append(r.waveTargets().size())
                    .append("</td><td class=\"selector\">").append(Encode.forHtml(r.request().selector()))
                    .append("</td><td class=\"steps\">").append(steps(r.request().steps()))
                    .append("</td><td class=\"created\">").append(RacksPage.time(r.createdAt()))
                    .append("</td><td class=\"reason\">").append(Encode.forHtml(String.valueOf(r.reason())))
                    .append("</td><td class=\"actions\">");
            controls(h, r);
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        for (Rollout r : rollouts) {
            String id = Encode.forHtml(r.id());
            h.append("<details class=\"fluxrig-rollout\" id=\"rollout-").append(id).append("\" data-rollout=\"").append(id)
                    .append(r.id().equals(focus) ? "\" open>" : "\">").append("<summary>").append(id).append(": ")
                    .append(Encode.forHtml(r.state())).append(", ").append(r.racks().size())
                    .append(" rack(s)</summary>\n<table class=\"nicetable\"><thead><tr><th>Rack</th>"
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

    /** @return the controls that apply to a rollout in its state, in the order shown */
    static List<String> controls(Rollout r) {
        List<String> out = new java.util.ArrayList<>();
        if (Rollout.RUNNING.equals(r.state())) {
            out.add(RolloutPaths.PAUSE);
        }
        if (Rollout.PAUSED.equals(r.state())) {
            out.add(RolloutPaths.RESUME);
        }
        if (!Rollout.ROLLING_BACK.equals(r.state()) && !Rollout.ROLLED_BACK.equals(r.state())) {
            out.add(Rollout.ROLLBACK);
        }
        if (!r.finished()) {
            out.add(RolloutPaths.ABORT);
        }
        return out;
    }

    /** One POST form per rollout; rollback and abort ask for confirmation first. */
    private static void controls(StringBuilder h, Rollout r) {
        List<String> actions = controls(r);
        if (actions.isEmpty()) {
            return;
        }
        String id = Encode.forHtmlAttribute(r.id());
        h.append("<form method=\"post\" action=\"rollouts\" class=\"fluxrig-rollout-control\"><input type=\"hidden\" name=\"")
                .append(RolloutsConsolePlugin.ROLLOUT).append("\" value=\"").append(id).append("\">");
        for (String a : actions) {
            boolean confirm = Rollout.ROLLBACK.equals(a) || RolloutPaths.ABORT.equals(a);
            h.append("<button type=\"submit\" name=\"").append(RolloutsConsolePlugin.ACTION).append("\" value=\"").append(a)
                    .append("\" data-action=\"").append(a).append('"')
                    .append(confirm ? " onclick=\"return confirm('" + a + " rollout " + id + "?')\"" : "").append('>')
                    .append(Character.toUpperCase(a.charAt(0))).append(a.substring(1)).append("</button> ");
        }
        h.append("</form>");
    }

    /** The start form: a multipart POST to this page, fields as {@link RolloutStartForm} reads them. */
    private static void startForm(StringBuilder h) {
        h.append("<details id=\"fluxrig-rollout-new\" open><summary>Start a rollout</summary>\n")
                .append("<form id=\"fluxrig-rollout-start\" method=\"post\" action=\"rollouts\" enctype=\"multipart/form-data\">")
                .append("<input type=\"hidden\" name=\"").append(RolloutsConsolePlugin.ACTION).append("\" value=\"")
                .append(RolloutsConsolePlugin.START).append("\">\n<p><label>Release (bundle jar or patch) <input type=\"file\" name=\"")
                .append(RolloutStartForm.FILE).append("\" required></label> <label>Signature (FILE.sig from <code>fluxrig release sign"
                        + "</code>; required by racks that pin keys) <input type=\"file\" name=\"")
                .append(RolloutStartForm.SIGNATURE).append("\"></label> <label>Kind <select name=\"").append(RolloutStartForm.KIND)
                .append("\"><option>bundle</option><option>patch</option></select></label></p>\n<p><label>Racks <input name=\"")
                .append(RolloutStartForm.SELECTOR).append("\" required placeholder=\"all | NAME | label=value[,label=value]\"></label> ")
                .append("<label>Waves <input name=\"").append(RolloutStartForm.WAVES).append("\" value=\"1,100%\" size=\"12\"></label> ")
                .append("<label>Soak (s) <input name=\"").append(RolloutStartForm.SOAK).append("\" value=\"30\" size=\"5\"></label> ")
                .append("<label>Max failures <input name=\"").append(RolloutStartForm.MAX_FAILURES)
                .append("\" value=\"0\" size=\"3\"></label> <label>On failure <select name=\"").append(RolloutStartForm.ON_FAILURE)
                .append("\"><option>pause</option><option>rollback</option></select></label> <label>Deadline per state (s) <input name=\"")
                .append(RolloutStartForm.DEADLINE).append("\" value=\"600\" size=\"6\"></label> <label><input type=\"checkbox\" name=\"")
                .append(RolloutStartForm.INCLUDE_NEW).append("\"> racks that join the selector meanwhile join the rollout</label></p>\n")
                .append("<p>Health gate during the soak, for the gears the change touches: <label>max error % <input name=\"")
                .append(RolloutStartForm.MAX_ERROR_PERCENT).append("\" size=\"3\" placeholder=\"25\"></label> <label>max p99 (ms) <input name=\"")
                .append(RolloutStartForm.MAX_P99).append("\" size=\"6\" placeholder=\"1000\"></label></p>\n")
                .append("<p><button type=\"submit\" id=\"fluxrig-rollout-submit\">Start rollout</button></p></form></details>\n");
    }

    private static String steps(List<RolloutStep> steps) {
        return steps.stream().map(s -> Encode.forHtml(s.type() + " " + s.name())).collect(Collectors.joining("<br>"));
    }
}
