package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoFluxMapping;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.MessageSpec;
import io.fluxrig.msg.FluxMsg;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code iso8583.responder} gear: an issuer host simulator for demos and tests. Takes a
 * decoded request (data {@code mti} and fields by number, as {@code iso8583.codec} decode emits)
 * and emits the decoded response: MTI 0100→0110, 0200→0210, 0400→0410, 0800→0810 (any other MTI is
 * rejected); the configured fields echoed when present; 39 from the rules, first match wins:
 * PAN in {@code block.pans} → 05, amount (field 4, minor units) above {@code decline.amount.over}
 * → 51, else {@code approve.code}. Rules apply to 0100/0200 only; 0400 and 0800 are answered
 * with the approve code. An approved 0110/0210 gets 38, six digits derived from fields 41, 11,
 * 37 and 7, so a redelivered request gets the same code; declines carry no 38.
 *
 * <p>The response is derived from the request: {@code ref} is the request id and meta is kept
 * (so {@code iso.conn} and {@code iso.header} travel back to the server). Immutable after
 * activation: {@link #onMessage} is safe on any number of threads.
 */
@GearType(value = ResponderGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "Issuer simulator: decoded 0100/0200/0400/0800 in, decoded responses with 38/39 from rules out")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + ResponderGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + ResponderGear.TYPE)
@Designate(ocd = ResponderConfig.class, factory = true)
public class ResponderGear implements Gear {
    static final String TYPE = "iso8583.responder";
    static final String DO_NOT_HONOUR = "05";
    static final String INSUFFICIENT_FUNDS = "51";
    private static final Map<String, String> RESPONSE_MTI = Map.of("0100", "0110", "0200", "0210", "0400", "0410", "0800", "0810");

    private final MessageSpec spec;
    private final int[] echo;
    private final long amountLimit;
    private final Set<String> blocked;
    private final String approve;

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute that is wrong
     */
    @Activate
    public ResponderGear(ResponderConfig config) {
        this.spec = Dialects.builtIn(config.dialect());
        this.echo = config.echo_fields() == null ? new int[0] : config.echo_fields().clone();
        for (int f : echo) {
            if (spec.field(f) == null) {
                throw new IllegalArgumentException("iso8583.responder config echo.fields: " + f + " is not a field of " + spec.name());
            }
        }
        if (config.decline_amount_over() < 0) {
            throw new IllegalArgumentException("iso8583.responder config decline.amount.over: must be 0 (no limit) or more, is "
                    + config.decline_amount_over());
        }
        this.amountLimit = config.decline_amount_over();
        this.blocked = config.block_pans() == null ? Set.of()
                : Set.copyOf(Arrays.stream(config.block_pans()).map(String::trim).filter(s -> !s.isEmpty()).toList());
        if (config.approve_code() == null || !config.approve_code().matches("[0-9A-Z]{2}")) {
            throw new IllegalArgumentException("iso8583.responder config approve.code: must be 2 digits or capitals, is '"
                    + config.approve_code() + "'");
        }
        this.approve = config.approve_code();
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        context.emit(PORT_OUT, respond(msg));
    }

    /**
     * @param request the decoded request
     * @return the decoded response
     * @throws GearRejection when the MTI has no response or field 4 is not a number
     */
    FluxMsg respond(FluxMsg request) throws GearRejection {
        Object mti = request.data().get(IsoFluxMapping.DATA_MTI);
        String responseMti = mti instanceof String m ? RESPONSE_MTI.get(m) : null;
        if (responseMti == null) {
            throw new GearRejection("iso8583.responder: no response defined for MTI " + mti + " (answers 0100, 0200, 0400, 0800)");
        }
        Map<Integer, Object> fields = new TreeMap<>();
        for (int f : echo) {
            Object v = request.data().get(Integer.toString(f));
            if (v != null) {
                fields.put(f, v);
            }
        }
        boolean authorization = responseMti.equals("0110") || responseMti.equals("0210");
        String code = authorization ? decide(request) : approve;
        fields.put(39, code);
        if (authorization && code.equals(approve)) {
            fields.put(38, authCode(request));
        }
        return IsoFluxMapping.toFlux(spec, new IsoMessage(responseMti, fields), request.derive()).raw((byte[]) null).build();
    }

    private String decide(FluxMsg request) throws GearRejection {
        Object pan = request.data().get("2");
        if (pan != null && blocked.contains(pan.toString())) {
            return DO_NOT_HONOUR;
        }
        if (amountLimit > 0 && amount(request.data().get("4")) > amountLimit) {
            return INSUFFICIENT_FUNDS;
        }
        return approve;
    }

    private static long amount(Object v) throws GearRejection {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new GearRejection("iso8583.responder: field 4 (amount) is not a whole number of minor units", e);
        }
    }

    /** The CRC input per field: {@code "<f>="}, then the value, then {@code ';'} (ISO 8859-1). */
    private static final String[] AUTH_FIELDS = {"41", "11", "37", "7"};
    private static final byte[][] AUTH_PREFIXES = {"41=".getBytes(StandardCharsets.ISO_8859_1), "11=".getBytes(StandardCharsets.ISO_8859_1),
            "37=".getBytes(StandardCharsets.ISO_8859_1), "7=".getBytes(StandardCharsets.ISO_8859_1)};

    /**
     * Six digits, a function of terminal, STAN, RRN and transmission time only: the CRC-32 of
     * {@code 41=<v>;11=<v>;37=<v>;7=<v>;} (ISO 8859-1, an absent field as empty) modulo 10^6.
     * Written without String.format or concatenation: it runs once per approved request.
     */
    static String authCode(FluxMsg request) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < AUTH_FIELDS.length; i++) {
            Object v = request.data().get(AUTH_FIELDS[i]);
            crc.update(AUTH_PREFIXES[i]);
            if (v != null) {
                crc.update(v.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
            crc.update(';');
        }
        char[] digits = new char[6];
        long n = crc.getValue() % 1_000_000L;
        for (int i = 5; i >= 0; i--, n /= 10) {
            digits[i] = (char) ('0' + n % 10);
        }
        return new String(digits);
    }
}
