package io.fluxrig.run;

import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes a Mixer's {@code /metrics} (HTTPS on its operator endpoint, trusting only the Mixer CA of
 * {@code <data>/ca.crt}) and reads samples out of the Prometheus text.
 */
final class MixerMetricsScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);

    private final HttpClient http;
    private final URI metrics;

    MixerMetricsScrape(String api, Path mixerData) throws Exception {
        this.http = HttpClient.newBuilder().sslContext(TlsContexts.trusting(Pem.readCertificate(mixerData.resolve("ca.crt")))).connectTimeout(Duration.ofSeconds(10)).build();
        this.metrics = URI.create(api + "/metrics");
    }

    /** @param token the bearer token, or null for none @return the answer */
    HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @param text Prometheus text
     * @param name a sample name
     * @param label {@code key="value"} the sample's labels must hold, or null for any
     * @return the sum of the matching samples' values
     * @throws AssertionError when no sample matches
     */
    static double sample(String text, String name, String label) {
        Matcher m = SAMPLE.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            if (m.group(1).equals(name) && (label == null || (m.group(2) != null && m.group(2).contains(label)))) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no sample " + name + (label == null ? "" : "{" + label + "}") + " in:\n" + text);
        }
        return sum;
    }
}
