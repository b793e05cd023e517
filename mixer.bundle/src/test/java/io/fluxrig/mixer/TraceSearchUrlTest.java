package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The configured trace search link: trimmed, empty for none, an http(s) URL or refused naming the attribute. */
class TraceSearchUrlTest {
    @Test
    void emptyMeansNoLinkAndOnlyHttpUrlsAreTaken() {
        assertEquals("", MixerSettings.traceSearchUrl(null));
        assertEquals("", MixerSettings.traceSearchUrl("  "));
        assertEquals("http://jaeger:16686/search?x={rolloutId}", MixerSettings.traceSearchUrl(" http://jaeger:16686/search?x={rolloutId} "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixerSettings.traceSearchUrl("javascript:alert(1)"));
        assertEquals("fluxrig.mixer trace.search.url: 'javascript:alert(1)' must start with http:// or https:// (or be empty)",
                e.getMessage());
    }
}
