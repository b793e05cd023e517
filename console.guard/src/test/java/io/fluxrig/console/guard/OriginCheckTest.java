package io.fluxrig.console.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OriginCheckTest {
    private final OriginCheck check = new OriginCheck(Set.of(), false);

    @Test
    void readsAreNeverRefused() {
        for (String m : new String[] {"GET", "HEAD", "OPTIONS", "get"}) {
            assertNull(check.refusal(m, "http", "127.0.0.1:8181", "http://evil.example", null), m);
        }
    }

    @Test
    void sameOriginPostPasses() {
        assertNull(check.refusal("POST", "http", "127.0.0.1:8181", "http://127.0.0.1:8181", null));
        assertNull(check.refusal("POST", "https", "Mixer.example", "https://mixer.example:443", null), "default port, case");
        assertNull(check.refusal("DELETE", "http", "127.0.0.1:8181", null, "http://127.0.0.1:8181/system/console/bundles"));
    }

    @Test
    void crossOriginStateChangesAreRefused() {
        String r = check.refusal("POST", "http", "127.0.0.1:8181", "http://127.0.0.1:9999", null);
        assertTrue(r.contains("http://127.0.0.1:9999") && r.contains("http://127.0.0.1:8181"), r);
        assertNotNull(check.refusal("PUT", "http", "127.0.0.1:8181", null, "http://127.0.0.1:9999/page.html"));
        assertNotNull(check.refusal("PATCH", "http", "127.0.0.1:8181", "null", null), "opaque origin");
        assertNotNull(check.refusal("POST", "https", "127.0.0.1:8181", "http://127.0.0.1:8181", null), "scheme differs");
        assertNotNull(check.refusal("POST", "http", "127.0.0.1:8181", "http://127.0.0.1.evil.example:8181", null));
        // Origin wins over a same-origin Referer.
        assertNotNull(check.refusal("POST", "http", "127.0.0.1:8181", "http://evil.example", "http://127.0.0.1:8181/x"));
    }

    @Test
    void missingHeadersRefusedUnlessAllowed() {
        assertEquals("no Origin or Referer header", check.refusal("POST", "http", "127.0.0.1:8181", null, null));
        assertNull(new OriginCheck(Set.of(), true).refusal("POST", "http", "127.0.0.1:8181", null, null));
    }

    @Test
    void configuredOriginsPass() {
        OriginCheck proxied = new OriginCheck(Set.of("https://console.example.com"), false);
        assertNull(proxied.refusal("POST", "http", "10.0.0.5:8181", "https://console.example.com", null));
        assertNotNull(proxied.refusal("POST", "http", "10.0.0.5:8181", "https://other.example.com", null));
    }
}
