package io.fluxrig.mixer.console;

import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import io.fluxrig.snake.api.rollout.RolloutStep;
import io.fluxrig.snake.api.rollout.RolloutTraces;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
        return render(rollouts, now, focus, r -> RolloutTraces.of(r, null, now));
    }

    /**
     * @param rollouts every rollout, newest first
     * @param now epoch millis the times in state are measured against
     * @param focus the rollout to show open with a notice, or null
     * @param traces where each rollout's traces are (the filter, and the search link when configured)
     * @return the HTML fragment
     */
    static String render(List<Rollout> rollouts, long now, String focus, Function<Rollout, RolloutTraces> traces) {
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
        h.append("<p class=\"statline\" id=\"fluxrig-rollouts-summary\"><span id=\"fluxrig-rollouts-counts\">")
                .append(Encode.forHtml(counts(rollouts))).append("</span>; also <code>fluxrig rollout status|pause|resume|abort|rollback ID"
                        + "</code>; <span id=\"fluxrig-rollouts-updated\" data-polls=\"0\">updates every 2 s</span> "
                        + "<span id=\"fluxrig-rollouts-new\" hidden></span></p>\n");
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
                    .append("</td><td class=\"actions\" data-controls=\"").append(String.join(" ", controls(r))).append("\">");
            controls(h, r);
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        for (Rollout r : rollouts) {
            String id = Encode.forHtml(r.id());
            h.append("<details class=\"fluxrig-rollout\" id=\"rollout-").append(id).append("\" data-rollout=\"").append(id)
                    .append(r.id().equals(focus) ? "\" open>" : "\">").append("<summary>").append(Encode.forHtml(heading(r)))
                    .append("</summary>\n");
            tracesLine(h, traces.apply(r));
            h.append("<table class=\"nicetable\"><thead><tr><th>Rack</th>"
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
        return h.append(SCRIPT).append("</div>\n").toString();
    }

    /** @return e.g. {@code 3 rollouts, 1 done, 2 running} */
    static String counts(List<Rollout> rollouts) {
        StringBuilder c = new StringBuilder().append(rollouts.size()).append(rollouts.size() == 1 ? " rollout" : " rollouts");
        rollouts.stream().collect(Collectors.groupingBy(Rollout::state, java.util.TreeMap::new, Collectors.counting()))
                .forEach((state, n) -> c.append(", ").append(n).append(' ').append(state));
        return c.toString();
    }

    private static String heading(Rollout r) {
        return r.id() + ": " + r.state() + ", " + r.racks().size() + " rack(s)";
    }

    /**
     * What the page's script polls ({@code rollouts/data.json}): the same texts the HTML shows, so
     * the script only puts them in place (as text: it never parses HTML from the data).
     *
     * @param rollouts every rollout, newest first
     * @param now epoch millis the times in state are measured against
     * @return {@code {at, counts, rollouts: [{id, state, wave, reason, heading, controls, racks: [{name, wave, state, age, detail}]}]}}
     */
    static Map<String, Object> data(List<Rollout> rollouts, long now) {
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        for (Rollout r : rollouts) {
            List<Map<String, Object>> racks = new java.util.ArrayList<>();
            r.racks().forEach((name, p) -> {
                Map<String, Object> rack = new java.util.LinkedHashMap<>();
                rack.put("name", name);
                rack.put("wave", String.valueOf(p.wave() + 1));
                rack.put("state", p.state());
                rack.put("age", RacksPage.age(now - p.since()));
                rack.put("detail", String.valueOf(p.detail()));
                racks.add(rack);
            });
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", r.id());
            m.put("state", r.state());
            m.put("wave", (r.wave() + 1) + " of " + r.waveTargets().size());
            m.put("reason", String.valueOf(r.reason()));
            m.put("heading", heading(r));
            m.put("controls", controls(r));
            m.put("racks", racks);
            list.add(m);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("at", now);
        out.put("counts", counts(rollouts));
        out.put("rollouts", list);
        return out;
    }

    /**
     * The page's live update: every 2 s it fetches {@code rollouts/data.json} from its own origin
     * and puts the new texts in place (textContent only); a rollout's buttons are rebuilt as the same
     * same-origin POST forms when the actions its state allows changed; racks that joined get a row;
     * rollouts started elsewhere are announced with a link to reload. No framework.
     */
    private static final String SCRIPT = """
            <script>
            (function () {
              'use strict';
              var polls = 0;
              var data = location.origin + location.pathname.replace(/\\/+$/, '') + '/data.json';
              function q(root, sel) { return root ? root.querySelector(sel) : null; }
              function text(el, v) { if (el && el.textContent !== v) { el.textContent = v; } }
              function controls(cell, r) {
                var want = r.controls.join(' ');
                if (cell.getAttribute('data-controls') === want) { return; }
                cell.textContent = '';
                cell.setAttribute('data-controls', want);
                if (!r.controls.length) { return; }
                var f = document.createElement('form');
                f.method = 'post'; f.action = 'rollouts'; f.className = 'fluxrig-rollout-control';
                var id = document.createElement('input');
                id.type = 'hidden'; id.name = 'rollout'; id.value = r.id;
                f.appendChild(id);
                r.controls.forEach(function (a) {
                  var b = document.createElement('button');
                  b.type = 'submit'; b.name = 'action'; b.value = a; b.setAttribute('data-action', a);
                  b.textContent = a.charAt(0).toUpperCase() + a.slice(1);
                  if (a === 'rollback' || a === 'abort') { b.onclick = function () { return confirm(a + ' rollout ' + r.id + '?'); }; }
                  f.appendChild(b);
                  f.appendChild(document.createTextNode(' '));
                });
                cell.appendChild(f);
              }
              function racks(details, r) {
                var body = q(details, 'tbody');
                if (!body) { return; }
                r.racks.forEach(function (k) {
                  var tr = q(body, 'tr[data-rack="' + CSS.escape(k.name) + '"]');
                  if (!tr) {
                    tr = document.createElement('tr');
                    tr.setAttribute('data-rack', k.name);
                    ['rack', 'wave', 'state', 'age', 'detail'].forEach(function (c) {
                      var td = document.createElement('td'); td.className = c; tr.appendChild(td);
                    });
                    body.appendChild(tr);
                  }
                  text(q(tr, 'td.rack'), k.name); text(q(tr, 'td.wave'), k.wave); text(q(tr, 'td.state'), k.state);
                  text(q(tr, 'td.age'), k.age); text(q(tr, 'td.detail'), k.detail);
                });
              }
              function apply(now) {
                var fresh = 0;
                now.rollouts.forEach(function (r) {
                  var row = q(document, '#fluxrig-rollouts tr[data-rollout="' + CSS.escape(r.id) + '"]');
                  if (!row) { fresh++; return; }
                  text(q(row, 'td.state'), r.state); text(q(row, 'td.wave'), r.wave); text(q(row, 'td.reason'), r.reason);
                  controls(q(row, 'td.actions'), r);
                  var details = q(document, 'details.fluxrig-rollout[data-rollout="' + CSS.escape(r.id) + '"]');
                  text(q(details, 'summary'), r.heading);
                  racks(details, r);
                });
                text(document.getElementById('fluxrig-rollouts-counts'), now.counts);
                var n = document.getElementById('fluxrig-rollouts-new');
                n.hidden = fresh === 0;
                if (fresh) {
                  n.textContent = '';
                  var a = document.createElement('a');
                  a.href = 'rollouts'; a.textContent = fresh + ' new rollout(s): reload';
                  n.appendChild(a);
                }
              }
              function poll() {
                fetch(data, {credentials: 'same-origin', cache: 'no-store'})
                  .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
                  .then(function (now) {
                    apply(now);
                    polls++;
                    var u = document.getElementById('fluxrig-rollouts-updated');
                    u.textContent = 'updated ' + new Date(now.at).toLocaleTimeString() + ' (every 2 s)';
                    u.setAttribute('data-polls', String(polls));
                  })
                  .catch(function (e) { text(document.getElementById('fluxrig-rollouts-updated'), 'not updated: ' + e.message); })
                  .then(function () { setTimeout(poll, 2000); });
              }
              setTimeout(poll, 2000);
            })();
            </script>
            """;

    /**
     * The traces of the gears the rollout changed: the span attribute filter as text, and a link
     * to the configured trace search (opened in a new tab, no referrer).
     */
    static void tracesLine(StringBuilder h, RolloutTraces t) {
        h.append("<p class=\"traces\">Traces of the gears it changed: spans with <code class=\"trace-filter\">")
                .append(Encode.forHtml(t.filter())).append("</code> since ").append(RacksPage.time(t.start())).append(" UTC");
        if (t.searchUrl() != null) {
            h.append(" &mdash; <a class=\"fluxrig-rollout-traces\" target=\"_blank\" rel=\"noopener noreferrer\" href=\"")
                    .append(Encode.forHtmlAttribute(t.searchUrl())).append("\">search the traces</a>");
        }
        h.append("</p>\n");
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
