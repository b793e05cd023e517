package io.fluxrig.rack.itest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real REST issuer for the in-framework tests: the JDK's HttpServer on a free loopback port,
 * {@code POST /auth} answers {@code {"response_code":"00","approved":true}}. A test can hold
 * answers back (the backend is slow until released) or make the next calls fail with HTTP 500.
 * Thread-safe: every call runs on the server's own pool.
 */
final class IssuerBackend implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private final Object gate = new Object();
    private boolean held;

    IssuerBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/auth", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/auth";
    }

    /** From now on, calls wait (up to 60 s) until {@link #release()}. */
    void hold() {
        synchronized (gate) {
            held = true;
        }
    }

    /** Lets every waiting and later call answer. */
    void release() {
        synchronized (gate) {
            held = false;
            gate.notifyAll();
        }
    }

    /** @param n how many of the next calls answer HTTP 500 */
    void failNext(int n) {
        failNext.set(n);
    }

    /** @return calls received so far (counted on arrival, before any wait) */
    int calls() {
        return calls.get();
    }

    private void answer(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        synchronized (gate) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (held && System.nanoTime() < deadline) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        boolean fail = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        byte[] body = (fail ? "{\"error\":\"issuer down\"}" : "{\"response_code\":\"00\",\"approved\":true}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(fail ? 500 : 200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
