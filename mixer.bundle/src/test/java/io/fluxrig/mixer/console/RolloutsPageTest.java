package io.fluxrig.mixer.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.Rollout.RackProgress;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import io.fluxrig.snake.api.rollout.RolloutTraces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Rollouts page rendering: one row per rollout, each rack's state, escaping. */
class RolloutsPageTest {
    private static final long NOW = 1_790_000_000_000L;

    @Test
    void showsEachRolloutAndEachRacksStateEscaped() {
        RolloutRequest q = new RolloutRequest("role=core", List.of("1", "100%"),
                List.of(new RolloutStep("install-bundle", "sha256:" + "ab".repeat(32), "gear<x>.jar", null)), List.of(), 1000, 0,
                "rollback", 60_000, false);
        Rollout r = new Rollout("0123456789abcdef", q, Rollout.ROLLED_BACK, 0, List.of(1, 2), Map.of(
                "core-a", new RackProgress(0, RackProgress.ROLLED_BACK, 0, null, NOW - 5_000, "restored: <done>", true),
                "core-b", new RackProgress(1, RackProgress.SKIPPED, 0, null, NOW - 5_000, "not changed", false)),
                NOW - 60_000, NOW - 5_000, "1 rack(s) failed");
        String html = RolloutsPage.render(List.of(r), NOW);
        assertTrue(html.contains("1 rollout, 1 rolled-back"), html);
        assertTrue(html.contains("<tr data-rollout=\"0123456789abcdef\">"), html);
        assertTrue(html.contains("<td class=\"wave\">1 of 2</td>"), html);
        assertTrue(html.contains("install-bundle gear&lt;x&gt;.jar"), html);
        assertTrue(html.contains("<tr data-rack=\"core-a\"><td class=\"rack\">core-a</td><td class=\"wave\">1</td>"
                + "<td class=\"state\">rolled-back</td>"), html);
        assertTrue(html.contains("restored: &lt;done&gt;"), html);
        assertTrue(html.contains("<td class=\"state\">skipped</td>"), html);
        assertFalse(html.contains("<done>"), "rack text is escaped: " + html);
    }

    @Test
    void eachRolloutLinksToItsTracesWhenASearchIsConfigured() {
        RolloutRequest q = new RolloutRequest("all", List.of("100%"), List.of(), List.of(), 0, 0, "pause", 60_000, false);
        Rollout r = new Rollout("0123456789abcdef", q, Rollout.DONE, 0, List.of(1), Map.of(), NOW - 60_000, NOW - 5_000, "done");
        String plain = RolloutsPage.render(List.of(r), NOW);
        assertTrue(plain.contains("<code class=\"trace-filter\">fluxrig.rollout.id=0123456789abcdef</code>"), plain);
        assertFalse(plain.contains("fluxrig-rollout-traces"), "no search configured: no link: " + plain);

        String linked = RolloutsPage.render(List.of(r), NOW, null,
                x -> RolloutTraces.of(x, "http://tempo:3200/search?q=\"{rolloutId}\"&start={startSeconds}&end={endSeconds}", NOW));
        assertTrue(linked.contains("<a class=\"fluxrig-rollout-traces\" target=\"_blank\" rel=\"noopener noreferrer\" "
                + "href=\"http://tempo:3200/search?q=&#34;0123456789abcdef&#34;&amp;start=" + (NOW - 60_000) / 1000 + "&amp;end="
                + NOW / 1000 + "\">"), linked);
    }

    @Test
    void thePagePollsItsDataWhichHoldsTheTextsItShows() {
        RolloutRequest q = new RolloutRequest("role=core", List.of("1", "100%"), List.of(), List.of(), 1000, 0, "pause", 60_000, false);
        Rollout r = new Rollout("0123456789abcdef", q, Rollout.RUNNING, 0, List.of(1, 2), Map.of(
                "core-a", new RackProgress(0, RackProgress.SOAKING, 0, null, NOW - 5_000, "changed; <soaking>", true),
                "core-b", new RackProgress(1, RackProgress.QUEUED, 0, null, NOW - 5_000, "waiting for wave 2", false)),
                NOW - 60_000, NOW - 5_000, "wave 1 of 2 open");
        String html = RolloutsPage.render(List.of(r), NOW);
        assertTrue(html.contains("<td class=\"actions\" data-controls=\"pause rollback abort\">"), html);
        assertTrue(html.contains("fetch(data, {credentials: 'same-origin', cache: 'no-store'})"), html);
        assertTrue(html.contains("location.pathname.replace(/\\/+$/, '') + '/data.json'"), html);

        Map<String, Object> data = RolloutsPage.data(List.of(r), NOW);
        assertEquals(NOW, data.get("at"));
        assertEquals("1 rollout, 1 running", data.get("counts"));
        @SuppressWarnings("unchecked")
        Map<String, Object> one = ((List<Map<String, Object>>) data.get("rollouts")).get(0);
        assertEquals("0123456789abcdef", one.get("id"));
        assertEquals("running", one.get("state"));
        assertEquals("1 of 2", one.get("wave"));
        assertEquals("0123456789abcdef: running, 2 rack(s)", one.get("heading"));
        assertEquals(List.of("pause", "rollback", "abort"), one.get("controls"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> racks = (List<Map<String, Object>>) one.get("racks");
        assertEquals(Map.of("name", "core-a", "wave", "1", "state", "soaking", "age", RacksPage.age(5_000), "detail",
                "changed; <soaking>"), racks.get(0), "text, not HTML: the script sets it as text");
        assertEquals("queued", racks.get(1).get("state"));
    }

    @Test
    void eachRolloutGetsTheButtonsItsStateAllowsAndThePageHasTheStartForm() {
        RolloutRequest q = new RolloutRequest("all", List.of("100%"), List.of(), List.of(), 0, 0, "pause", 60_000, false);
        java.util.function.Function<String, Rollout> in = state -> new Rollout("00000000000000aa", q, state, 0, List.of(1), Map.of(),
                NOW, NOW, "x");
        assertEquals(List.of("pause", "rollback", "abort"), RolloutsPage.controls(in.apply(Rollout.RUNNING)));
        assertEquals(List.of("resume", "rollback", "abort"), RolloutsPage.controls(in.apply(Rollout.PAUSED)));
        assertEquals(List.of("rollback"), RolloutsPage.controls(in.apply(Rollout.DONE)));
        assertEquals(List.of("abort"), RolloutsPage.controls(in.apply(Rollout.ROLLING_BACK)));
        assertEquals(List.of(), RolloutsPage.controls(in.apply(Rollout.ROLLED_BACK)));
        String html = RolloutsPage.render(List.of(in.apply(Rollout.RUNNING)), NOW, "00000000000000aa");
        assertTrue(html.contains("<form id=\"fluxrig-rollout-start\" method=\"post\" action=\"rollouts\" "
                + "enctype=\"multipart/form-data\">"), html);
        assertTrue(html.contains("<button type=\"submit\" name=\"action\" value=\"pause\" data-action=\"pause\">Pause</button>"), html);
        assertTrue(html.contains("id=\"fluxrig-rollout-notice\">Rollout 00000000000000aa: running"), html);
        assertTrue(html.contains("data-rollout=\"00000000000000aa\" open>"), "the rollout acted on is open: " + html);
    }
}
