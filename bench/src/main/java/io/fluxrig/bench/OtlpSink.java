package io.fluxrig.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A collector for the end-to-end tracing runs (bench/e2e, topology {@code traced}): an OTLP/HTTP
 * endpoint on loopback that reads every request body to its end and answers 200 with an empty
 * body, keeping nothing, so what the racks pay is their own export and nothing a real collector
 * would add. Prints the requests and bytes it took on SIGTERM.
 *
 * <pre>java -cp benchmarks.jar io.fluxrig.bench.OtlpSink port=P [ready=FILE]</pre>
 */
public final class OtlpSink {
    private OtlpSink() {
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        Path ready = null;
        for (String a : args) {
            if (a.startsWith("port=")) {
                port = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("ready=")) {
                ready = Path.of(a.substring(6));
            } else {
                throw new IllegalArgumentException("OtlpSink: unknown argument " + a + " (port=P [ready=FILE])");
            }
        }
        LongAdder requests = new LongAdder();
        LongAdder bytes = new LongAdder();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bytes.add(in.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            requests.increment();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("otlp sink: " + requests.sum() + " requests, "
                + bytes.sum() + " bytes")));
        if (ready != null) {
            Files.writeString(ready, "http://127.0.0.1:" + server.getAddress().getPort() + "\n");
        }
        System.out.println("otlp sink: listening on http://127.0.0.1:" + server.getAddress().getPort());
    }
}
