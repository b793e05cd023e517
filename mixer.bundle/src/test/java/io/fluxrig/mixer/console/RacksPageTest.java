package io.fluxrig.mixer.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.store.RackRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Racks page rendering: rows, inventory sections, escaping, ages. */
class RacksPageTest {
    private static final long NOW = 1_790_000_000_000L;
    private final ObjectMapper json = new ObjectMapper();

    private RackRecord online() throws Exception {
        return new RackRecord("edge1", Map.of("site", "lab", "zone", "<b>z</b>"), RackRecord.ONLINE, NOW - 3_600_000,
                NOW - 4_200, "10.0.0.7:51234", "0a", NOW + 86_400_000L * 30, 1000, Map.of("java", "17.0.9", "fluxrig", "1.0.0"),
                json.readTree("""
                        {"bundles":[{"id":0,"symbolicName":"org.apache.felix.framework","version":"7.0.5","state":"ACTIVE"},
                                    {"id":7,"symbolicName":"io.fluxrig.gear.basic","version":"1.0.0","state":"ACTIVE"}],
                         "gearTypes":[{"type":"timer","bundle":"io.fluxrig.gear.basic 1.0.0"}],
                         "gears":[{"name":"tick","type":"timer","bundle":"io.fluxrig.gear.basic","state":"running",
                                   "in":0,"out":12,"errors":0}],
                         "wires":["tick -> shout"],
                         "wireTransport":{"connected":false,"detail":"NATS DISCONNECTED <cannot reach>"}}"""), "heartbeat");
    }

    @Test
    void listsEveryRackWithStateTimesAddressVersionsAndLabels() throws Exception {
        RackRecord pending = new RackRecord("core", Map.of(), RackRecord.PENDING, NOW - 1000, 0, null, "0b", 0, 0,
                Map.of(), null, null);
        String html = RacksPage.render(List.of(pending, online()), NOW);
        assertTrue(html.contains("<tr data-rack=\"edge1\">"), html);
        assertTrue(html.contains("<tr data-rack=\"core\">"), html);
        assertTrue(html.contains("2 racks, 1 online, 1 pending"), html);
        String edge = row(html, "edge1");
        assertTrue(edge.contains("<td class=\"state\">online</td>"), edge);
        assertTrue(edge.contains("<td class=\"age\">4 s ago</td>"), edge);
        assertTrue(edge.contains("<td class=\"address\">10.0.0.7:51234</td>"), edge);
        assertTrue(edge.contains("<td class=\"versions\">fluxrig 1.0.0, java 17.0.9</td>"), edge);
        assertTrue(edge.contains("<td class=\"first-seen\">2026-09-21T13:13:20Z</td>"), edge);
        String core = row(html, "core");
        assertTrue(core.contains("<td class=\"age\">never</td>"), core);
        assertTrue(core.contains("<td class=\"last-seen\">&ndash;</td>"), core);
    }

    @Test
    void eachRackShowsItsInventory() throws Exception {
        String html = RacksPage.render(List.of(online()), NOW);
        String section = html.substring(html.indexOf("<details class=\"fluxrig-rack\" id=\"rack-edge1\""));
        assertTrue(section.contains("1 gear instance, 1 wire, 1 gear type, 2 bundles"), section);
        assertTrue(section.contains("<td class=\"name\">tick</td><td class=\"type\">timer</td>"), section);
        assertTrue(section.contains("<td class=\"out\">12</td>"), section);
        assertTrue(section.contains("<li>tick -&gt; shout</li>"), section);
        assertTrue(section.contains("<p class=\"wire-transport degraded\">Wire transport: <b>DEGRADED (broker unreachable)</b>"
                + " &mdash; NATS DISCONNECTED &lt;cannot reach&gt;</p>"), section);
        assertTrue(section.contains("<td class=\"symbolicName\">io.fluxrig.gear.basic</td>"), section);
        assertTrue(section.contains("<td class=\"type\">timer</td><td class=\"bundle\">io.fluxrig.gear.basic 1.0.0</td>"),
                section);
    }

    @Test
    void eachRackShowsTheReleasesItInstalledAndWhetherItPinsKeys() throws Exception {
        RackRecord pinned = new RackRecord("core-a", Map.of(), RackRecord.ONLINE, NOW, NOW, "a", "0e", 0, 0, Map.of(), json.readTree(
                "{\"releases\":{\"mode\":\"pinned\",\"keys\":[\"ed25519:0a1b\"],\"installed\":{"
                + "\"io.acme.gear\":{\"kind\":\"bundle\",\"version\":\"3.0.0\",\"sequence\":30,\"digest\":\"sha256:ab\"},"
                + "\"edge\":{\"kind\":\"patch\",\"version\":\"<7>\",\"sequence\":2,\"digest\":\"sha256:cd\"}}}}"), null);
        String html = RacksPage.render(List.of(pinned), NOW);
        assertTrue(html.contains("<p class=\"release-trust\">Pinned publisher keys: ed25519:0a1b</p>"), html);
        assertTrue(html.contains("<tr data-release=\"io.acme.gear\"><td class=\"name\">io.acme.gear</td><td class=\"kind\">bundle"
                + "</td><td class=\"version\">3.0.0</td><td class=\"sequence\">30</td>"), html);
        assertTrue(html.indexOf("data-release=\"edge\"") < html.indexOf("data-release=\"io.acme.gear\""), "sorted by name: " + html);
        assertTrue(html.contains("<td class=\"version\">&lt;7&gt;</td>"), html);
        RackRecord dev = new RackRecord("dev", Map.of(), RackRecord.ONLINE, NOW, NOW, "a", "0f", 0, 0, Map.of(),
                json.readTree("{\"releases\":{\"mode\":\"development\",\"keys\":[],\"installed\":{}}}"), null);
        assertTrue(RacksPage.render(List.of(dev), NOW).contains("Development mode: unsigned releases accepted"));
    }

    @Test
    void aRackWithoutHeartbeatOrWithAMisshapenInventoryStillRenders() throws Exception {
        RackRecord pending = new RackRecord("p1", Map.of(), RackRecord.PENDING, NOW, 0, null, "0c", 0, 0, Map.of(), null,
                null);
        RackRecord odd = new RackRecord("odd", null, RackRecord.ONLINE, NOW, NOW, "a", "0d", 0, 0, null,
                json.readTree("{\"bundles\":7,\"gears\":[1,\"x\",{\"name\":{\"nested\":true}}],\"wires\":{}}"), null);
        String html = RacksPage.render(List.of(pending, odd), NOW);
        assertTrue(html.contains("No heartbeat yet, so no inventory."), html);
        assertTrue(html.contains("3 gear instances, 0 wires, 0 gear types, 0 bundles"), html);
        assertTrue(html.contains("<td class=\"name\"></td>"), "a nested object shows as empty: " + html);
    }

    @Test
    void everythingFromRacksIsEscaped() throws Exception {
        RackRecord evil = new RackRecord("x\"><script>alert(1)</script>", Map.of("k<", "v'&"), "online<i>", NOW, NOW,
                "<img src=x>", "0e", 0, 0, Map.of("java", "<svg/onload=1>"), json.readTree(
                        "{\"gears\":[{\"name\":\"<script>g</script>\"}],\"wires\":[\"<b>w</b>\"],"
                                + "\"bundles\":[{\"symbolicName\":\"\\\"onmouseover=\\\"x\"}]}"), "<u>why</u>");
        String html = RacksPage.render(List.of(evil), NOW);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<svg"), html);
        assertFalse(html.contains("<i>") || html.contains("<u>") || html.contains("<b>w"), html);
        assertFalse(html.contains("\"onmouseover"), html);
        assertTrue(html.contains("data-rack=\"x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), html);
        assertTrue(html.contains("k&lt;=v&#39;&amp;"), html);
    }

    @Test
    void agesAreHumanAndNeverNegative() {
        assertEquals("0 s ago", RacksPage.age(999));
        assertEquals("119 s ago", RacksPage.age(119_999));
        assertEquals("2 min ago", RacksPage.age(120_000));
        assertEquals("2 h ago", RacksPage.age(7_200_000));
        assertEquals("2 d ago", RacksPage.age(172_800_000));
        assertEquals("just now", RacksPage.age(-5));
    }

    private static String row(String html, String rack) {
        int start = html.indexOf("<tr data-rack=\"" + rack + "\">");
        return html.substring(start, html.indexOf("</tr>", start));
    }

    @Test
    void aPageShowsItsRowsTheTotalsAndALinkToTheNextThatKeepsTheFilter() throws Exception {
        RackRecord a = new RackRecord("edge-a", Map.of("site", "n&s"), RackRecord.ONLINE, NOW, NOW, null, "0a", 0, 1000,
                Map.of(), null, null);
        io.fluxrig.mixer.store.RackQuery q = io.fluxrig.mixer.store.RackQuery.parse(n -> switch (n) {
            case "label" -> List.of("site=n&s");
            case "limit" -> List.of("1");
            default -> List.of();
        });
        String html = RacksPage.render(new io.fluxrig.mixer.store.RackQuery.Page(3, Map.of("online", 2L, "offline", 1L),
                List.of(a), "edge-a"), q, NOW);
        assertTrue(html.contains("3 racks, 1 offline, 2 online; showing 1 (edge-a to edge-a)"), html);
        assertTrue(html.contains("<tr data-rack=\"edge-a\">"), html);
        assertEquals(1, html.split("<details class=\"fluxrig-rack\"", -1).length - 1, "inventories of the page only");
        assertTrue(html.contains("href=\"racks?label=site%3Dn%26s&amp;limit=1&amp;after=edge-a\""), html);
        assertTrue(html.contains("<input name=\"labels\" value=\"site=n&amp;s\">"), html);
    }

    @Test
    void theRatesColumnsShowTheSummaryAndStayEmptyWithoutOne() throws Exception {
        RackRecord quiet = new RackRecord("edge-q", Map.of(), RackRecord.ONLINE, NOW, NOW, null, "0a", 0, 1000, Map.of(), null, null);
        String html = RacksPage.render(List.of(online(), quiet),
                r -> "edge-q".equals(r.name()) ? null : new io.fluxrig.snake.api.RackSummary(5000, 1234.56, 1200.0, 0.0125), NOW);
        assertTrue(html.contains("<th>msg/s in</th><th>msg/s out</th><th>Error %</th><th>p99 ms</th>"), html);
        assertTrue(html.contains("<td class=\"in-rate\">1234.6</td><td class=\"out-rate\">1200.0</td>"
                + "<td class=\"error-rate\">1.25</td><td class=\"p99\"></td>"), html + ": a rack that predates processing times");
        assertTrue(html.contains("<td class=\"in-rate\"></td><td class=\"out-rate\"></td><td class=\"error-rate\"></td>"
                + "<td class=\"p99\"></td>"), html);
    }

    @Test
    void theP99ColumnShowsTheRacksP99WithEachGearsInItsTooltip() throws Exception {
        var summary = new io.fluxrig.snake.api.RackSummary(5000, 10, 10, 0, 12.25, Map.of(
                "fast<x>", new io.fluxrig.snake.api.RackSummary.GearSummary(10, 0, 0.1, 0.5),
                "slow", new io.fluxrig.snake.api.RackSummary.GearSummary(10, 0, 3.0, 12.25),
                "idle", new io.fluxrig.snake.api.RackSummary.GearSummary(0, 0, null, null)));
        String html = RacksPage.render(List.of(online()), r -> summary, NOW);
        assertTrue(html.contains("<td class=\"p99\" title=\"slow 12.25, fast&lt;x> 0.50\">12.25</td>"), html);
    }
}
