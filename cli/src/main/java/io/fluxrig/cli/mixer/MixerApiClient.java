package io.fluxrig.cli.mixer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls the Mixer's operator API over HTTPS (TLS 1.3, HTTP/2) trusting only the Mixer CA
 * ({@code --ca FILE}, default {@code <data>/ca.crt}) with the operator bearer token
 * ({@code $FLUXRIG_API_TOKEN}, else the file {@code --api-token-file FILE}, else {@code <data>/operator.token}
 * the operator saved it in; the Mixer itself keeps only its hash). One instance per command run.
 *
 * @param api the API base URL
 * @param token the bearer token
 * @param http a client trusting only the Mixer CA
 */
record MixerApiClient(String api, String token, HttpClient http) {
    static final String USAGE_OPTIONS = "[--context NAME] [--data DIR] [--api URL] [--api-token-file FILE] [--ca FILE]";

    /** The options every Mixer command takes, resolved by {@link MixerApiOptions}. */
    static MixerApiClient from(Map<String, String> options) throws IOException {
        Path data = Path.of(options.getOrDefault("--data", "./data/mixer"));
        String api = options.getOrDefault("--api", "https://127.0.0.1:8443");
        String token = options.get("--api-token");
        Path tokenFile = Path.of(options.getOrDefault("--token-file", data.resolve("operator.token").toString()));
        if (token == null && Files.exists(tokenFile)) {
            token = Files.readString(tokenFile).trim();
        }
        if (token == null || token.isBlank()) {
            throw new IOException("no operator token: " + tokenFile + (Files.exists(tokenFile) ? " is empty" : " does not exist") + " (give --data MIXER_DATA, a --context, "
                    + "or set FLUXRIG_API_TOKEN)");
        }
        Path ca = Path.of(options.getOrDefault("--ca", data.resolve("ca.crt").toString()));
        if (!Files.isRegularFile(ca)) {
            throw new IOException("no Mixer CA certificate at " + ca + " (give --data MIXER_DATA, --ca FILE or a --context)");
        }
        try {
            HttpClient http = TlsContexts.http2(TlsContexts.trusting(Pem.readCertificate(ca)));
            return new MixerApiClient(api.replaceAll("/+$", ""), token, http);
        } catch (GeneralSecurityException e) {
            throw new IOException("the Mixer CA in " + ca + " is not usable: " + e.getMessage(), e);
        }
    }

    /** A reply: HTTP status and the parsed JSON body. */
    record Reply(int status, Object json) {
        /** @return the Mixer's reason, escaped to one line (it can quote what a rack or a user sent) */
        String error() {
            return json instanceof Map<?, ?> m && m.get("error") != null ? io.fluxrig.snake.api.LogText.escape(String.valueOf(m.get("error")))
                    : "HTTP " + status;
        }
    }

    Reply call(String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body().length == 0 ? null : parse(r.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException("cannot reach the Mixer API at " + api + ": " + io.fluxrig.cli.Failure.reason(e), e);
        }
    }

    /**
     * Uploads a file as the raw body of {@code POST path} (application/octet-stream), streamed
     * from disk; no overall time limit (a large artifact may take long), the connect timeout holds.
     */
    Reply upload(String path, Path file) throws IOException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        try {
            HttpResponse<byte[]> a = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(a.statusCode(), a.body().length == 0 ? null : parse(a.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException("cannot reach the Mixer API at " + api + ": " + io.fluxrig.cli.Failure.reason(e), e);
        }
    }

    /** @return the JSON as Map / List / String / Number / Boolean / null */
    static Object parse(byte[] body) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(body)) {
            p.nextToken();
            return value(p);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                m.put(k, value(p));
            }
            return m;
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> l = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                l.add(value(p));
            }
            return l;
        }
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            default -> p.getText();
        };
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
