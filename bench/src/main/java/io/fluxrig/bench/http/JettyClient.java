package io.fluxrig.bench.http;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12's {@link HttpClient} (HTTP/1.1 transport, its own small thread pool for I/O) with the
 * same settings as {@link JdkClient}: 2 s connect timeout, 5 s total timeout, the completion
 * handed to the gear's executor.
 */
final class JettyClient implements HttpClientLoad.Client {
    private final URI url;
    private final ExecutorService executor;
    private final HttpClient client;

    JettyClient(URI url, ExecutorService executor) throws Exception {
        this.url = url;
        this.executor = executor;
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("load-jetty");
        pool.setDaemon(true);
        this.client = new HttpClient();
        client.setExecutor(pool);
        client.setConnectTimeout(2000);
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(256);
        client.setUserAgentField(null);
        client.start();
    }

    @Override
    public void send(byte[] body, HttpClientLoad.Done done) {
        client.newRequest(url).method(HttpMethod.POST).timeout(5, TimeUnit.SECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json")
                        .put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .body(new BytesRequestContent("application/json", body))
                .send(new BufferingResponseListener(1 << 20) {
                    @Override
                    public void onComplete(Result result) {
                        int status = result.isFailed() ? -1 : result.getResponse().getStatus();
                        byte[] content = status < 0 ? null : getContent();
                        executor.execute(() -> done.done(content == null ? -1 : status));
                    }
                });
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
