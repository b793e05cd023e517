package io.fluxrig.bench;

import io.fluxrig.cli.SampleEnvelope;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.json.JsonEnvelopeException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * Encode, decode and round trip of one realistic envelope ({@link SampleEnvelope}, the CLI's sample) in four codecs:
 * fluxrig deterministic CBOR ({@code FluxCbor}), plain Jackson CBOR and plain Jackson JSON on the
 * equivalent POJO ({@code JacksonCbor}, {@code JacksonJson}: the baselines), and fluxrig's own
 * JSON form ({@code FluxJson}, informational). Average time per operation, single thread.
 *
 * <p>Decoding starts from bytes each codec wrote itself during setup; every result is returned so
 * JMH consumes it. The annotations give the short default; {@link Report} and the JMH command
 * line override them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class FluxMsgCodecBenchmark {
    private Codecs codecs;
    private FluxMsg msg;
    private PlainEnvelope pojo;
    private byte[] fluxCborBytes;
    private byte[] fluxJsonBytes;
    private byte[] jacksonCborBytes;
    private byte[] jacksonJsonBytes;

    /** Builds the message and each codec's encoding of it, and checks each decodes again. */
    @Setup
    public void setUp() throws Exception {
        codecs = new Codecs();
        msg = SampleEnvelope.cardAuthorisation();
        pojo = PlainEnvelope.cardAuthorisation();
        fluxCborBytes = codecs.fluxCbor(msg);
        fluxJsonBytes = codecs.fluxJson(msg);
        jacksonCborBytes = Codecs.jackson(codecs.jacksonCbor, pojo);
        jacksonJsonBytes = Codecs.jackson(codecs.jacksonJson, pojo);
        // Not a timing check: a codec that lost the message would make its numbers meaningless.
        if (!codecs.fluxCbor(fluxCborBytes).equals(msg) || !codecs.fluxJson(fluxJsonBytes).equals(msg)) {
            throw new IllegalStateException("fluxrig codec does not round-trip the sample message");
        }
        if (Codecs.jackson(codecs.jacksonCbor, jacksonCborBytes).data.size() != pojo.data.size()
                || Codecs.jackson(codecs.jacksonJson, jacksonJsonBytes).data.size() != pojo.data.size()) {
            throw new IllegalStateException("Jackson does not round-trip the sample message");
        }
    }

    @Benchmark
    public byte[] encodeFluxCbor() {
        return codecs.fluxCbor(msg);
    }

    @Benchmark
    public byte[] encodeJacksonCbor() throws IOException {
        return Codecs.jackson(codecs.jacksonCbor, pojo);
    }

    @Benchmark
    public byte[] encodeJacksonJson() throws IOException {
        return Codecs.jackson(codecs.jacksonJson, pojo);
    }

    @Benchmark
    public byte[] encodeFluxJson() {
        return codecs.fluxJson(msg);
    }

    @Benchmark
    public FluxMsg decodeFluxCbor() throws CborException {
        return codecs.fluxCbor(fluxCborBytes);
    }

    @Benchmark
    public PlainEnvelope decodeJacksonCbor() throws IOException {
        return Codecs.jackson(codecs.jacksonCbor, jacksonCborBytes);
    }

    @Benchmark
    public PlainEnvelope decodeJacksonJson() throws IOException {
        return Codecs.jackson(codecs.jacksonJson, jacksonJsonBytes);
    }

    @Benchmark
    public FluxMsg decodeFluxJson() throws JsonEnvelopeException {
        return codecs.fluxJson(fluxJsonBytes);
    }

    @Benchmark
    public FluxMsg roundTripFluxCbor() throws CborException {
        return codecs.fluxCbor(codecs.fluxCbor(msg));
    }

    @Benchmark
    public PlainEnvelope roundTripJacksonCbor() throws IOException {
        return Codecs.jackson(codecs.jacksonCbor, Codecs.jackson(codecs.jacksonCbor, pojo));
    }

    @Benchmark
    public PlainEnvelope roundTripJacksonJson() throws IOException {
        return Codecs.jackson(codecs.jacksonJson, Codecs.jackson(codecs.jacksonJson, pojo));
    }

    @Benchmark
    public FluxMsg roundTripFluxJson() throws JsonEnvelopeException {
        return codecs.fluxJson(codecs.fluxJson(msg));
    }

    /**
     * @return encoded size in bytes per codec suffix ({@code FluxCbor}, ...), for the report
     * @throws Exception when a codec fails on the sample message
     */
    public static java.util.Map<String, Integer> encodedSizes() throws Exception {
        FluxMsgCodecBenchmark b = new FluxMsgCodecBenchmark();
        b.setUp();
        java.util.Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
        sizes.put("FluxCbor", b.fluxCborBytes.length);
        sizes.put("JacksonCbor", b.jacksonCborBytes.length);
        sizes.put("JacksonJson", b.jacksonJsonBytes.length);
        sizes.put("FluxJson", b.fluxJsonBytes.length);
        return sizes;
    }
}
