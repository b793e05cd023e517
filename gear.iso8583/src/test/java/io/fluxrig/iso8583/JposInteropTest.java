package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jpos.iso.ISOBasePackager;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jpos.iso.packager.ISO87APackager;
import org.jpos.iso.packager.ISO87BPackager;
import org.jpos.iso.packager.ISO93APackager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jPOS 2.1.10 (AGPL, test scope only) as a real peer: for each dialect, random messages over
 * every field type and length range, with and without a secondary bitmap, go both ways. jPOS
 * packs what fluxrig encodes into the same bytes; fluxrig decodes jPOS's bytes into the same
 * values; jPOS unpacks fluxrig's bytes into the same values.
 */
class JposInteropTest {
    private static final int MESSAGES = 1500;

    /** Binary content, compared by value. */
    private record Binary(String hex) {
    }

    static Stream<Arguments> dialects() {
        return Stream.of(Arguments.of("iso87ascii", new ISO87APackager()), Arguments.of("iso87binary", new ISO87BPackager()),
                Arguments.of("iso93ascii", new ISO93APackager()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void everyFieldDefinitionMatchesJposLengths(String dialect, ISOBasePackager packager) {
        MessageSpec spec = Dialects.builtIn(dialect);
        for (int n = 2; n <= 128; n++) {
            FieldSpec f = spec.field(n);
            assertEquals(packager.getFieldPackager(n).getLength(), f.length(), dialect + " field " + n + " length");
            String cls = packager.getFieldPackager(n).getClass().getSimpleName();
            assertEquals(cls.contains("LLL") ? LengthType.LLL : cls.contains("LL") ? LengthType.LL : LengthType.FIXED,
                    f.lengthType(), dialect + " field " + n + " " + cls);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void randomMessagesBothWaysByteForByte(String dialect, ISOPackager packager) throws Exception {
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(dialect));
        RandomIso random = new RandomIso(1987L + dialect.length(), true);
        int withSecondary = 0;
        for (int i = 0; i < MESSAGES; i++) {
            IsoMessage m = random.message(codec.spec());
            byte[] ours = codec.encode(m);

            ISOMsg j = new ISOMsg();
            j.setPackager(packager);
            j.setMTI(m.mti());
            for (Map.Entry<Integer, Object> e : m.fields().entrySet()) {
                setJpos(j, codec.spec().field(e.getKey()), e.getValue());
            }
            byte[] theirs = j.pack();
            String ctx = dialect + " " + m + "\n ours   " + HexFormat.of().formatHex(ours) + "\n theirs " + HexFormat.of().formatHex(theirs);
            assertArrayEquals(theirs, ours, ctx);

            assertEquals(m, codec.decode(theirs), ctx);

            ISOMsg u = new ISOMsg();
            u.setPackager(packager);
            u.unpack(ours);
            assertEquals(m.mti(), u.getMTI(), ctx);
            for (int n = 2; n <= 128; n++) {
                assertEquals(m.get(n) != null, u.hasField(n), ctx + " presence of " + n);
                if (m.get(n) != null) {
                    assertEquals(comparable(codec.spec().field(n), m.get(n)), jposValue(codec.spec().field(n), u), ctx + " field " + n);
                }
            }
            if (m.fields().lastKey() > 64) {
                withSecondary++;
            }
        }
        assertTrue(withSecondary > MESSAGES / 10, "messages with a secondary bitmap: " + withSecondary);
    }

    /** jPOS holds binary as byte[], text as String; DE 55 is text in the 1987 packagers. */
    private static void setJpos(ISOMsg j, FieldSpec f, Object value) throws Exception {
        Object v = comparable(f, value);
        if (v instanceof String s) {
            j.set(f.number(), s);
        } else {
            j.set(f.number(), HexFormat.of().parseHex(((Binary) v).hex()));
        }
    }

    /** A value in a form both sides can be compared in: text, or {hex} for bytes. */
    private static Object comparable(FieldSpec f, Object value) throws Exception {
        byte[] bytes = value instanceof Bytes b ? b.toByteArray()
                : value instanceof List<?> tlv ? IsoCodec.of(singleField(f)).encode(new IsoMessage("0000", Map.of(f.number(), tlv))) : null;
        if (bytes == null) {
            return value;
        }
        if (value instanceof List<?>) {
            bytes = java.util.Arrays.copyOfRange(bytes, bytes.length - tlvLength(bytes, f), bytes.length);
        }
        return binaryInJpos(f) ? new Binary(HexFormat.of().formatHex(bytes)) : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static Object jposValue(FieldSpec f, ISOMsg u) throws Exception {
        Object v = u.getValue(f.number());
        return v instanceof byte[] b ? new Binary(HexFormat.of().formatHex(b)) : v;
    }

    /** In the 1987 packagers DE 55 is a char field; in ISO93A it is binary. */
    private static boolean binaryInJpos(FieldSpec f) {
        return f.type() == ContentType.B && !(f.tlv() && f.length() == 999);
    }

    private static MessageSpec singleField(FieldSpec f) {
        return new MessageSpec("one", "", Encoding.ASCII, Encoding.HEX, false, List.of(f), Map.of());
    }

    /** The TLV field's content length: the encoded single-field message minus MTI, bitmap and prefix. */
    private static int tlvLength(byte[] encoded, FieldSpec f) {
        int prefix = f.prefix() == Encoding.BCD ? 2 : 3;
        return encoded.length - 4 - 16 - (f.number() > 64 ? 16 : 0) - prefix;
    }
}
