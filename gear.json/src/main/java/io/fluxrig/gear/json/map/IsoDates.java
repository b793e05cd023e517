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
    private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

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
        if (text.length() != len || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MapError("not " + form + ": '" + text + "' (" + len + " digits expected)", text);
        }
        try {
            if (form == Form.hhmmss) {
                return ISO_TIME.format(time(text, 0));
            }
            int month = Integer.parseInt(text.substring(0, 2));
            int day = Integer.parseInt(text.substring(2, 4));
            LocalDate date = nearestDate(month, day, reference);
            if (form == Form.MMDD) {
                return date.toString();
            }
            LocalDateTime at = date.atTime(time(text, 4));
            return DateTimeFormatter.ISO_INSTANT.format(at.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            throw new MapError("not a valid " + form + ": '" + text + "' (" + e.getMessage() + ")", text);
        }
    }

    private static LocalTime time(String text, int from) {
        return LocalTime.of(Integer.parseInt(text.substring(from, from + 2)),
                Integer.parseInt(text.substring(from + 2, from + 4)), Integer.parseInt(text.substring(from + 4, from + 6)));
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

    private static LocalDateTime dateTime(String t) {
        try {
            return OffsetDateTime.parse(t).toLocalDateTime();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(t);
        }
    }
}
