package io.fluxrig.cli.issuer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The simulated issuer's decision, a pure function of the canonical JSON authorisation request
 * (as {@code json.map iso-auth-request} writes it): PAN block-listed → 05; amount in minor units
 * above the limit → 51; otherwise 00 with a six-digit authorisation code derived from terminal,
 * STAN, RRN and transmission time (a repeated request gets the same code). Immutable, thread-safe.
 */
final class IssuerRules {
    /** Currencies whose exponent is not 2 (ISO 4217); every other currency is taken as 2. */
    private static final Map<String, Integer> EXPONENTS = Map.ofEntries(
            Map.entry("JPY", 0), Map.entry("KRW", 0), Map.entry("ISK", 0), Map.entry("CLP", 0), Map.entry("VND", 0),
            Map.entry("BHD", 3), Map.entry("KWD", 3), Map.entry("OMR", 3), Map.entry("JOD", 3), Map.entry("TND", 3),
            Map.entry("IQD", 3), Map.entry("LYD", 3));
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DEPTH = 8;

    /** A request the issuer cannot decide on: answered with HTTP 400 and this reason. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String reason) {
            super(reason);
        }
    }

    /**
     * @param code ISO 8583 response code (field 39)
     * @param authCode the authorisation code for an approval, else null
     * @param fault what the server does instead of answering at once (demo fault injection)
     * @param request the request's key, terminal|stan|rrn ({@link DecisionLedger#key})
     */
    record Decision(String code, String authCode, Fault fault, String request) {
        boolean approved() {
            return "00".equals(code);
        }

        /** @return the decision JSON that {@code json.map auth-decision-iso} expects under {@code decision} */
        String json() {
            return approved()
                    ? "{\"approved\":true,\"response_code\":\"00\",\"auth_code\":\"" + authCode + "\"}"
                    : "{\"approved\":false,\"response_code\":\"" + code + "\"}";
        }
    }

    /** Fault injection for the demo's decline tests, chosen by PAN. */
    enum Fault {
        /** Answer at once. */
        NONE,
        /** Answer only after the configured delay (a backend slower than its caller's timeout). */
        SLOW,
        /** Answer HTTP 500 (a backend failing). */
        FAIL
    }

    private final long limitMinor;
    private final Set<String> blocked;
    private final Set<String> slow;
    private final Set<String> failing;

    /**
     * @param limitMinor amounts above this (in the currency's minor units) are declined 51; 0 = no limit
     * @param blocked PANs declined 05
     */
    IssuerRules(long limitMinor, Set<String> blocked) {
        this(limitMinor, blocked, Set.of(), Set.of());
    }

    /**
     * @param limitMinor amounts above this (in the currency's minor units) are declined 51; 0 = no limit
     * @param blocked PANs declined 05
     * @param slow PANs answered late ({@link Fault#SLOW})
     * @param failing PANs answered HTTP 500 ({@link Fault#FAIL})
     */
    IssuerRules(long limitMinor, Set<String> blocked, Set<String> slow, Set<String> failing) {
        this.limitMinor = limitMinor;
        this.blocked = Set.copyOf(blocked);
        this.slow = Set.copyOf(slow);
        this.failing = Set.copyOf(failing);
    }

    /**
     * @param body the request body
     * @return the decision
     * @throws BadRequest naming what is wrong (malformed JSON, a missing or invalid field)
     */
    Decision decide(byte[] body) throws BadRequest {
        Map<String, Object> req = parse(body);
        String pan = text(req, "pan");
        if (!pan.matches("[0-9]{12,19}")) {
            throw new BadRequest("pan: 12 to 19 digits expected");
        }
        Object amountNode = req.get("amount");
        if (!(amountNode instanceof Map<?, ?> amount)) {
            throw new BadRequest("amount: object {value, currency} expected");
        }
        String currency = textIn(amount, "amount.currency");
        BigDecimal value;
        try {
            value = new BigDecimal(textIn(amount, "amount.value"));
        } catch (NumberFormatException e) {
            throw new BadRequest("amount.value: not a decimal number");
        }
        BigDecimal minor = value.movePointRight(EXPONENTS.getOrDefault(currency, 2));
        if (value.signum() < 0 || minor.stripTrailingZeros().scale() > 0) {
            throw new BadRequest("amount.value: " + value.toPlainString() + " is not a non-negative amount in " + currency);
        }
        Fault fault = failing.contains(pan) ? Fault.FAIL : slow.contains(pan) ? Fault.SLOW : Fault.NONE;
        String request = DecisionLedger.key(req.get("terminal"), req.get("stan"), req.get("rrn"));
        if (blocked.contains(pan)) {
            return new Decision("05", null, fault, request);
        }
        if (limitMinor > 0 && minor.compareTo(BigDecimal.valueOf(limitMinor)) > 0) {
            return new Decision("51", null, fault, request);
        }
        CRC32 crc = new CRC32();
        for (String key : new String[] {"terminal", "stan", "rrn", "transmitted_at"}) {
            crc.update(String.valueOf(req.get(key)).getBytes(StandardCharsets.UTF_8));
            crc.update('|');
        }
        return new Decision("00", String.format("%06d", crc.getValue() % 1_000_000), fault, request);
    }

    private static String text(Map<String, Object> req, String key) throws BadRequest {
        return textIn(req, key);
    }

    private static String textIn(Map<?, ?> map, String path) throws BadRequest {
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (!(map.get(key) instanceof String s)) {
            throw new BadRequest(path + ": " + (map.containsKey(key) ? "text expected" : "missing"));
        }
        return s;
    }

    private static Map<String, Object> parse(byte[] body) throws BadRequest {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequest("malformed JSON: an object expected at offset 0");
            }
            Map<String, Object> doc = object(p, 1);
            if (p.nextToken() != null) {
                throw new BadRequest("malformed JSON: trailing content at offset " + p.currentTokenLocation().getByteOffset());
            }
            return doc;
        } catch (JsonProcessingException e) {
            throw new BadRequest("malformed JSON at offset " + e.getLocation().getByteOffset() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("unreadable body: " + e.getMessage());
        }
    }

    private static Map<String, Object> object(JsonParser p, int depth) throws IOException, BadRequest {
        if (depth > MAX_DEPTH) {
            throw new BadRequest("malformed JSON: nested deeper than " + MAX_DEPTH);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            Object value = switch (v) {
                case START_OBJECT -> object(p, depth + 1);
                case START_ARRAY -> {
                    p.skipChildren();
                    yield null;
                }
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                default -> null;
            };
            if (map.containsKey(key)) {
                throw new BadRequest("malformed JSON: duplicate key \"" + key + "\"");
            }
            map.put(key, value);
        }
        return map;
    }
}
