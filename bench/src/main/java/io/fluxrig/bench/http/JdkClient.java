package io.fluxrig.bench.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The JDK {@link HttpClient} set up as {@code json.http} sets it up: HTTP/1.1, the gear's executor,
 * 2 s connect timeout, 5 s request timeout, {@code sendAsync} with the completion handed to the
 * executor ({@code whenCompleteAsync}).
 */
final class JdkClient implements HttpClientLoad.Client {
    private final URI url;
    private final ExecutorService executor;
    private final HttpClient client;

    JdkClient(URI url, ExecutorService executor) {
        this.url = url;
        this.executor = executor;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void send(byte[] body, HttpClientLoad.Done done) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .whenCompleteAsync((r, e) -> done.done(e == null ? r.statusCode() : -1), executor);
    }

    @Override
    public void close() {
        // JDK 17's HttpClient has no close(): its selector thread ends when it is collected.
    }
}
