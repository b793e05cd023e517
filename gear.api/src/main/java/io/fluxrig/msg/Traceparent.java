package io.fluxrig.msg;

/**
 * The W3C traceparent syntax fluxMsg accepts: exactly
 * {@code [0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}} (lower-case hex, 55 chars). Hand-written instead of a regex because the decoder checks the
 * trace of every message it reads; a {@code Matcher} per message showed up as allocation and
 * time there. Stateless.
 */
final class Traceparent {
    private static final int LENGTH = 55;

    private Traceparent() {
    }

    /** @param s text, not null @return whether it has the traceparent syntax */
    static boolean isValid(String s) {
        if (s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = s.charAt(i);
            boolean ok = i == 2 || i == 35 || i == 52 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
