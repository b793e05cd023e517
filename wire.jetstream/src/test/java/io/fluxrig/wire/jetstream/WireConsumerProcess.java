package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The consuming side of {@link RackKillFaultTest} as its own JVM (the "rack" that is killed):
 * subscribes to a wire through {@link JetStreamWireTransport} and, for each delivery, appends
 * {@code incarnation producer seq deliveryCount fluxMsgId} as one line to a file (a plain
 * {@code write}, which the OS keeps when the process is SIGKILLed), and only then acks, like
 * the rack's inlet (ack after the message was fully handled). Each handling takes
 * {@code handleMillis} after the record, so a kill finds deliveries recorded and not acked. Once
 * subscribed it creates the ready file (its hand-over to the test: a file, not a printed line).
 *
 * <p>Arguments: natsUrl wire stream consumer file incarnation handleMillis creds readyFile caFile
 */
public final class WireConsumerProcess {
    private WireConsumerProcess() {
    }

    /** Consistent with the test: parallel consumer, 16 in flight, 2 s ack wait. */
    static StreamSpec spec(String stream, String wire) {
        return Wires.stream(stream, wire, new ConsumerSpec(false, 16, Duration.ofSeconds(2), 100, Duration.ofMillis(100)));
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String wire = args[1];
        String incarnation = args[5];
        long handleMillis = Long.parseLong(args[6]);
        FileOutputStream out = new FileOutputStream(args[4], true);
        JetStreamWireTransport t = Wires.connected(Wires.settings(url, java.nio.file.Path.of(args[7]), java.nio.file.Path.of(args[9])));
        t.addStream(spec(args[2], wire));
        t.subscribe(wire, args[3], d -> {
            FluxMsg m = d.msg();
            try {
                byte[] line = (incarnation + " " + m.getString("producer") + " " + m.getLong("seq") + " " + d.deliveryCount()
                        + " " + m.id() + "\n").getBytes(StandardCharsets.US_ASCII);
                synchronized (out) {
                    out.write(line);
                }
                Thread.sleep(handleMillis); // the rest of the handling: a kill here leaves it recorded, not acked
                d.ack();
            } catch (IOException e) {
                d.nak(Duration.ofMillis(100), "cannot record: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                d.nak(Duration.ZERO, "interrupted");
            }
        });
        java.nio.file.Path ready = java.nio.file.Path.of(args[8]);
        java.nio.file.Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
        java.nio.file.Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
        java.nio.file.Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(Long.MAX_VALUE);
    }
}
