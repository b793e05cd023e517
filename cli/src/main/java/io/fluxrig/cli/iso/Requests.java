package io.fluxrig.cli.iso;

import io.fluxrig.iso8583.IsoMessage;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Realistic 0200 purchase requests for {@code iso send}: Luhn-valid test PANs, spread amounts. Pure functions. */
public final class Requests {
    private Requests() {
    }

    /**
     * @param stan field 11
     * @param rrn field 37
     * @param tid field 41
     * @param random the terminal's generator (amounts and PANs)
     * @return the request: about 15% of amounts are above 1000.00 (100000 minor units)
     */
    public static IsoMessage purchase(String stan, String rrn, String tid, Random random) {
        // Digits written directly: String.format and DateTimeFormatter.ofPattern per request cost more
        // than the rest of the request together (a new Formatter, DecimalFormatSymbols, a parsed pattern).
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        long amount = random.nextInt(100) < 15 ? 100_001 + random.nextInt(400_000) : 100 + random.nextInt(49_900);
        String mmdd = digits(now.getMonthValue(), 2) + digits(now.getDayOfMonth(), 2);
        String hhmmss = digits(now.getHour(), 2) + digits(now.getMinute(), 2) + digits(now.getSecond(), 2);
        Map<Integer, Object> f = new TreeMap<>();
        f.put(2, luhnPan("476173", random));
        f.put(3, "000000");
        f.put(4, digits(amount, 12));
        f.put(7, mmdd + hhmmss);
        f.put(11, stan);
        f.put(12, hhmmss);
        f.put(13, mmdd);
        f.put(14, "2812");
        f.put(18, "5411");
        f.put(22, "051");
        f.put(25, "00");
        f.put(37, rrn);
        f.put(41, tid);
        f.put(42, "FLUXRIGMERCH001");
        f.put(49, "978");
        return new IsoMessage("0200", f);
    }

    /**
     * @param value a number, 0 or more
     * @param width the digits wanted
     * @return the value in decimal, zero-padded on the left to width (as {@code %0<width>d}; longer if it needs more)
     */
    static String digits(long value, int width) {
        String s = Long.toString(value);
        if (s.length() >= width) {
            return s;
        }
        char[] c = new char[width];
        int pad = width - s.length();
        java.util.Arrays.fill(c, 0, pad, '0');
        s.getChars(0, s.length(), c, pad);
        return new String(c);
    }

    /** A 16-digit PAN with the given prefix and a valid Luhn check digit. */
    static String luhnPan(String prefix, Random random) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < 15) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            int d = b.charAt(14 - i) - '0';
            if (i % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return b.append((char) ('0' + (10 - sum % 10) % 10)).toString();
    }
}
