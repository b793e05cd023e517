package io.fluxrig.bench;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoFluxMapping;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.MessageSpec;
import io.fluxrig.msg.FluxMsg;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jpos.iso.packager.GenericPackager;
import org.jpos.iso.packager.ISO87APackager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fluxrig ISO 8583 codec against jPOS 2.1.10 on the same bytes ({@link IsoSample}, an
 * iso87ascii 0100 of 25 fields), in three operations: {@code decode} (bytes to a message),
 * {@code encode} (a decoded message to bytes) and {@code modify} (decode, change five fields as a
 * switch does for a response or a forward: 4, 7, 11, 37, 39, encode). Three codecs:
 * {@code Fluxrig} ({@link IsoCodec}, dialect iso87ascii, DE 55 parsed as BER-TLV),
 * {@code Jpos87A} (jPOS {@code ISO87APackager}, Java field table) and {@code JposGeneric} (jPOS
 * {@code GenericPackager} configured with {@code packager/iso87ascii.xml}, the XML definition jPOS
 * ships in its own jar). jPOS reads DE 55 as LLLCHAR text; fluxrig does more work there (a list
 * of tag maps), which the ratios include.
 *
 * <p>One thread; each codec instance is shared, as each library intends (packagers and
 * {@code IsoCodec} are thread-safe). Set-up checks that every codec reads the sample and writes it
 * back byte for byte, so all three measure the same work. {@code decodeToFluxMsgFluxrig}
 * (decode and put into a fluxMsg, what the {@code iso8583.codec} gear does) is for information.
 * {@link IsoCodecReport} runs this class and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class IsoCodecBenchmark {
    private MessageSpec spec;
    private IsoCodec fluxrig;
    private ISOPackager jpos87a;
    private ISOPackager jposGeneric;
    private byte[] bytes;
    private IsoMessage fluxrigMsg;
    private ISOMsg jpos87aMsg;
    private ISOMsg jposGenericMsg;

    @Setup
    public void setUp() throws Exception {
        spec = Dialects.builtIn(Dialects.ISO87ASCII);
        fluxrig = IsoCodec.of(spec);
        jpos87a = new ISO87APackager();
        try (InputStream xml = ISOMsg.class.getClassLoader().getResourceAsStream("packager/iso87ascii.xml")) {
            if (xml == null) {
                throw new IllegalStateException("packager/iso87ascii.xml is not in the jPOS jar");
            }
            jposGeneric = new GenericPackager(xml);
        }
        bytes = IsoSample.bytes();
        fluxrigMsg = fluxrig.decode(bytes);
        jpos87aMsg = jposUnpack(jpos87a, bytes);
        jposGenericMsg = jposUnpack(jposGeneric, bytes);
        // Not a timing check: each codec must do the same job on the same bytes.
        same("fluxrig encode", fluxrig.encode(fluxrigMsg));
        same("jPOS ISO87APackager pack", jpos87aMsg.pack());
        same("jPOS GenericPackager pack", jposGenericMsg.pack());
        byte[] a = modifyFluxrig();
        byte[] b = modifyJpos87A();
        byte[] c = modifyJposGeneric();
        if (!Arrays.equals(a, b) || !Arrays.equals(a, c)) {
            throw new IllegalStateException("the codecs modify the sample differently");
        }
    }

    private void same(String what, byte[] out) {
        if (!Arrays.equals(bytes, out)) {
            throw new IllegalStateException(what + " does not give back the sample's bytes");
        }
    }

    private static ISOMsg jposUnpack(ISOPackager p, byte[] b) throws ISOException {
        ISOMsg m = new ISOMsg();
        m.setPackager(p);
        m.unpack(b);
        return m;
    }

    @Benchmark
    public IsoMessage decodeFluxrig() throws IsoException {
        return fluxrig.decode(bytes);
    }

    @Benchmark
    public ISOMsg decodeJpos87A() throws ISOException {
        return jposUnpack(jpos87a, bytes);
    }

    @Benchmark
    public ISOMsg decodeJposGeneric() throws ISOException {
        return jposUnpack(jposGeneric, bytes);
    }

    @Benchmark
    public byte[] encodeFluxrig() throws IsoException {
        return fluxrig.encode(fluxrigMsg);
    }

    @Benchmark
    public byte[] encodeJpos87A() throws ISOException {
        return jpos87aMsg.pack();
    }

    @Benchmark
    public byte[] encodeJposGeneric() throws ISOException {
        return jposGenericMsg.pack();
    }

    @Benchmark
    public byte[] modifyFluxrig() throws IsoException {
        IsoMessage m = fluxrig.decode(bytes);
        return fluxrig.encode(m.with(4, "000000009999").with(7, "1127031206").with(11, "004218")
                .with(37, "633112004218").with(39, "00"));
    }

    @Benchmark
    public byte[] modifyJpos87A() throws ISOException {
        return modifyJpos(jpos87a);
    }

    @Benchmark
    public byte[] modifyJposGeneric() throws ISOException {
        return modifyJpos(jposGeneric);
    }

    private byte[] modifyJpos(ISOPackager p) throws ISOException {
        ISOMsg m = jposUnpack(p, bytes);
        m.set(4, "000000009999");
        m.set(7, "1127031206");
        m.set(11, "004218");
        m.set(37, "633112004218");
        m.set(39, "00");
        return m.pack();
    }

    @Benchmark
    public FluxMsg decodeToFluxMsgFluxrig() throws IsoException {
        return IsoFluxMapping.toFlux(spec, fluxrig.decode(bytes), FluxMsg.builder()).build();
    }
}
