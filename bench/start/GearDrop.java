import io.fluxrig.cli.iso.Requests;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * Drops gear bundles into a running rack's {@code gears/} folder and measures, from the moment
 * before the first copy, until the rack's ISO 8583 server gear accepts a connection and until it
 * answers a first 0200 (the CLI's {@code iso send} request, iso87ascii, 2-byte binary length
 * prefix). Each jar is copied beside the folder and moved in atomically, so FileInstall never
 * sees half a file. Run in Java's source-file mode on the CLI's class path (bench/start/run.sh
 * does); prints one line: {@code listening_ms=N answered_ms=N response=MTI/39}.
 *
 * <p>Usage: {@code java -cp CLI_CP GearDrop.java PORT GEARS_DIR JAR...}
 */
public final class GearDrop {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path gears = Path.of(args[1]);
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
        byte[] request = Framing.BINARY2.frame(new byte[0],
                codec.encode(Requests.purchase("000001", "000000000001", "TERM0001", new Random(1))));
        Path[] staged = new Path[args.length - 2];
        for (int i = 2; i < args.length; i++) { // staged before the clock starts
            Path jar = Path.of(args[i]);
            staged[i - 2] = Files.copy(jar, gears.resolveSibling(jar.getFileName() + ".staged"), StandardCopyOption.REPLACE_EXISTING);
        }
        long t0 = System.nanoTime();
        for (Path s : staged) {
            String name = s.getFileName().toString();
            Files.move(s, gears.resolve(name.substring(0, name.length() - ".staged".length())), StandardCopyOption.ATOMIC_MOVE);
        }
        long deadline = t0 + 120_000_000_000L;
        Socket socket = null;
        while (socket == null) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket = s;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the ISO 8583 server did not accept a connection within 120 s of the drop");
                }
                Thread.sleep(2);
            }
        }
        long listening = System.nanoTime();
        try (Socket s = socket) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            byte[] frame = Framing.BINARY2.read(in, 0, Framing.BINARY2.maxLength());
            long answered = System.nanoTime();
            if (frame == null) {
                throw new IOException("the rack closed the connection without an answer");
            }
            IsoMessage reply = codec.decode(frame);
            System.out.printf("listening_ms=%.0f answered_ms=%.0f response=%s/%s%n", (listening - t0) / 1e6,
                    (answered - t0) / 1e6, reply.mti(), reply.fields().get(39));
        }
    }
}
