package io.fluxrig.gear.json.map;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * ISO 8583 date/time fields ⇄ ISO 8601 text. Stateless; all methods are pure functions.
 *
 * <ul>
 *   <li>{@code MMDDhhmmss} (DE 7, transmission date and time, GMT) ⇄ {@code 2026-03-14T10:15:30Z};
 *       reading ISO 8601 accepts any offset and converts to UTC.
 *   <li>{@code hhmmss} (DE 12, local time) ⇄ {@code 10:15:30}; reading also accepts a date-time and
 *       takes its local time.
 *   <li>{@code MMDD} (DE 13, local date) ⇄ {@code 2026-03-14}; reading also accepts a date-time and
 *       takes its local date.
 * </ul>
 *
 * <p><b>Year rule.</b> The ISO 8583 forms carry no year. The year chosen is the one (reference
 * year − 1, same, + 1) that puts the date nearest to the reference instant, which is the
 * message's {@code ts} in UTC; so {@code 1231235959} read on 2027-01-01 is 2026-12-31, and
 * {@code 0101000001} read on 2026-12-31 is 2027-01-01. 29 February is only taken in a leap year.
 */
final class IsoDates {
    /** The supported ISO 8583 forms. */
    enum Form {
        MMDDhhmmss, hhmmss, MMDD
    }

    private static final DateTimeFormatter MMDDHHMMSS = DateTimeFormatter.ofPattern("MMddHHmmss");
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss");

    private IsoDates() {
    }

    /**
     * @param form the ISO 8583 form
     * @param text the field content
     * @param reference the message time, for the year rule
     * @return the ISO 8601 text
     * @throws MapError when the text is not a valid value of that form
     */
    static String toIso8601(Form form, String text, Instant reference) throws MapError {
        int len = form == Form.MMDDhhmmss ? 10 : form == Form.hhmmss ? 6 : 4;
        if (text.length() != len || !digits(text, 0, len)) {
            throw new MapError("not " + form + ": '" + text + "' (" + len + " digits expected)", text);
        }
        try {
            // Written digit by digit: a DateTimeFormatter per field was the largest single cost of
            // the edge's mappings. The values are validated by LocalTime.of / LocalDate.of.
            if (form == Form.hhmmss) {
                time(text, 0);
                return new StringBuilder(8).append(text, 0, 2).append(':').append(text, 2, 4).append(':').append(text, 4, 6)
                        .toString();
            }
            int month = num(text, 0);
            int day = num(text, 2);
            LocalDate date = nearestDate(month, day, reference);
            StringBuilder b = new StringBuilder(20);
            int year = date.getYear();
            if (year < 1000) {
                return form == Form.MMDD ? date.toString()
                        : DateTimeFormatter.ISO_INSTANT.format(date.atTime(time(text, 4)).toInstant(ZoneOffset.UTC));
            }
            b.append(year).append('-').append(text, 0, 2).append('-').append(text, 2, 4);
            if (form == Form.MMDD) {
                return b.toString();
            }
            time(text, 4);
            return b.append('T').append(text, 4, 6).append(':').append(text, 6, 8).append(':').append(text, 8, 10).append('Z')
                    .toString();
        } catch (DateTimeException e) {
            throw new MapError("not a valid " + form + ": '" + text + "' (" + e.getMessage() + ")", text);
        }
    }

    private static LocalTime time(String text, int from) {
        return LocalTime.of(num(text, from), num(text, from + 2), num(text, from + 4));
    }

    /** @return the two digits at {@code from} as a number (the caller checked they are digits) */
    private static int num(String text, int from) {
        return (text.charAt(from) - '0') * 10 + text.charAt(from + 1) - '0';
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static LocalDate nearestDate(int month, int day, Instant reference) {
        LocalDate ref = reference.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate best = null;
        long bestDistance = Long.MAX_VALUE;
        DateTimeException last = null;
        for (int year = ref.getYear() - 1; year <= ref.getYear() + 1; year++) {
            try {
                LocalDate candidate = LocalDate.of(year, month, day);
                long distance = Math.abs(ChronoUnit.DAYS.between(ref, candidate));
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            } catch (DateTimeException e) {
                last = e;
            }
        }
        if (best == null) {
            throw last;
        }
        return best;
    }

    /**
     * @param form the ISO 8583 form
     * @param iso8601 ISO 8601 text (see the class description for what each form accepts)
     * @return the field content
     * @throws MapError when the text is not ISO 8601 of a suitable kind
     */
    static String fromIso8601(Form form, String iso8601) throws MapError {
        String t = iso8601.trim();
        String fast = fromCanonical(form, t);
        if (fast != null) {
            return fast;
        }
        try {
            switch (form) {
                case MMDDhhmmss:
                    return MMDDHHMMSS.format(OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC));
                case hhmmss:
                    return HHMMSS.format(t.length() <= 12 ? LocalTime.parse(t) : dateTime(t).toLocalTime());
                default:
                    LocalDate d = t.length() == 10 ? LocalDate.parse(t) : dateTime(t).toLocalDate();
                    return String.format("%02d%02d", d.getMonthValue(), d.getDayOfMonth());
            }
        } catch (DateTimeParseException e) {
            throw new MapError("not ISO 8601 for " + form + ": '" + iso8601 + "'"
                    + (form == Form.MMDDhhmmss ? " (a date-time with an offset, e.g. 2026-03-14T10:15:30Z)" : ""), iso8601);
        }
    }

    /**
     * The forms {@link #toIso8601} writes ({@code 2026-03-14T10:15:30Z}, {@code 10:15:30},
     * {@code 2026-03-14}), read by position: parsing them with {@code OffsetDateTime.parse} and
     * formatting with a {@link DateTimeFormatter} cost several microseconds per field, the largest
     * single cost of the edge's mappings.
     *
     * @return the field content, or null when the text has another shape or is not a valid date or
     *     time (the general parser then reads it, or names what is wrong)
     */
    private static String fromCanonical(Form form, String t) {
        try {
            switch (form) {
                case MMDDhhmmss:
                    if (t.length() != 20 || !date(t, 0) || t.charAt(10) != 'T' || !clock(t, 11) || t.charAt(19) != 'Z') {
                        return null;
                    }
                    return new StringBuilder(10).append(t, 5, 7).append(t, 8, 10).append(t, 11, 13).append(t, 14, 16)
                            .append(t, 17, 19).toString();
                case hhmmss:
                    return t.length() == 8 && clock(t, 0) ? new StringBuilder(6).append(t, 0, 2).append(t, 3, 5).append(t, 6, 8)
                            .toString() : null;
                default:
                    return t.length() == 10 && date(t, 0) ? new StringBuilder(4).append(t, 5, 7).append(t, 8, 10).toString() : null;
            }
        } catch (DateTimeException invalid) {
            return null;
        }
    }

    /** {@code yyyy-MM-dd} at {@code from}, a valid date (LocalDate.of throws otherwise). */
    private static boolean date(String t, int from) {
        if (!digits(t, from, from + 4) || t.charAt(from + 4) != '-' || !digits(t, from + 5, from + 7) || t.charAt(from + 7) != '-'
                || !digits(t, from + 8, from + 10)) {
            return false;
        }
        int year = (t.charAt(from) - '0') * 1000 + (t.charAt(from + 1) - '0') * 100 + num(t, from + 2);
        LocalDate.of(year, num(t, from + 5), num(t, from + 8));
        return true;
    }

    /** {@code HH:mm:ss} at {@code from}, a valid time (LocalTime.of throws otherwise). */
    private static boolean clock(String t, int from) {
        if (!digits(t, from, from + 2) || t.charAt(from + 2) != ':' || !digits(t, from + 3, from + 5) || t.charAt(from + 5) != ':'
                || !digits(t, from + 6, from + 8)) {
            return false;
        }
        LocalTime.of(num(t, from), num(t, from + 3), num(t, from + 6));
        return true;
    }

    private static LocalDateTime dateTime(String t) {
        try {
            return OffsetDateTime.parse(t).toLocalDateTime();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(t);
        }
    }
}
