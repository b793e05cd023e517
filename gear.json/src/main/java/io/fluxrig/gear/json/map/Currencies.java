package io.fluxrig.gear.json.map;

import java.util.HashMap;
import java.util.Map;

/**
 * ISO 4217 codes of common currencies: numeric code, alphabetic code and minor-unit exponent
 * (840/USD → 2, 978/EUR → 2, 392/JPY → 0, 048/BHD → 3, ...). A currency not listed is refused
 * with a reason rather than guessed; a mapping can state {@code exponent} instead. Immutable.
 */
final class Currencies {
    /** One currency. */
    record Currency(String numeric, String alpha, int exponent) {
    }

    private static final String TABLE =
            "840 USD 2,978 EUR 2,826 GBP 2,392 JPY 0,048 BHD 3,036 AUD 2,124 CAD 2,756 CHF 2,156 CNY 2,344 HKD 2,"
            + "356 INR 2,410 KRW 0,484 MXN 2,554 NZD 2,578 NOK 2,752 SEK 2,208 DKK 2,702 SGD 2,710 ZAR 2,986 BRL 2,"
            + "643 RUB 2,949 TRY 2,985 PLN 2,203 CZK 2,348 HUF 2,376 ILS 2,784 AED 2,682 SAR 2,634 QAR 2,414 KWD 3,"
            + "512 OMR 3,400 JOD 3,788 TND 3,434 LYD 3,368 IQD 3,704 VND 0,152 CLP 0,352 ISK 0,600 PYG 0,800 UGX 0,"
            + "952 XOF 0,950 XAF 0,458 MYR 2,764 THB 2,360 IDR 2,608 PHP 2,032 ARS 2,170 COP 2,604 PEN 2,818 EGP 2,"
            + "566 NGN 2,404 KES 2,504 MAD 2,901 TWD 2,586 PKR 2,050 BDT 2,144 LKR 2,946 RON 2,975 BGN 2,980 UAH 2";

    private static final Map<String, Currency> BY_CODE = index();

    private Currencies() {
    }

    private static Map<String, Currency> index() {
        Map<String, Currency> m = new HashMap<>();
        for (String row : TABLE.split(",")) {
            String[] f = row.split(" ");
            Currency c = new Currency(f[0], f[1], Integer.parseInt(f[2]));
            m.put(c.numeric(), c);
            m.put(c.alpha(), c);
        }
        return Map.copyOf(m);
    }

    /**
     * @param code a numeric code ({@code "840"}, {@code "48"}, {@code 840L}) or an alphabetic one ({@code "USD"})
     * @return the currency
     * @throws MapError when the code is not in the table
     */
    static Currency of(Object code) throws MapError {
        String key = code instanceof Long l ? String.valueOf(l) : code instanceof String s ? s.trim() : null;
        if (key == null) {
            throw new MapError("currency code must be text or an integer, not " + Transforms.describe(code));
        }
        if (!key.isEmpty() && key.length() < 3 && key.chars().allMatch(Character::isDigit)) {
            key = "000".substring(key.length()) + key;
        }
        Currency c = BY_CODE.get(key);
        if (c == null) {
            throw new MapError("unknown currency '" + key + "' (not in the ISO 4217 table; state an exponent instead)", key);
        }
        return c;
    }
}
