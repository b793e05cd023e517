package io.fluxrig.iso8583;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that go beyond what decoding needs, run on request: mandatory fields per MTI (declared
 * in the spec), digits only in {@code n} fields, sign and digits in {@code xn} fields, and
 * optionally the Luhn check digit of the PAN (every text field whose sensitivity is {@code pan}).
 * Problems name the field, never its value. Stateless and thread-safe.
 */
public final class IsoValidator {
    private IsoValidator() {
    }

    /**
     * @param spec the dialect
     * @param msg the message
     * @param luhn whether to check the PAN's check digit
     * @return every problem, empty when the message is valid
     */
    public static List<String> validate(MessageSpec spec, IsoMessage msg, boolean luhn) {
        List<String> problems = new ArrayList<>();
        for (int n : spec.mandatory(msg.mti())) {
            if (msg.get(n) == null) {
                problems.add("field " + n + ": mandatory for " + msg.mti() + " but missing");
            }
        }
        msg.fields().forEach((n, v) -> {
            FieldSpec f = spec.field(n);
            if (f == null || !(v instanceof String s)) {
                return;
            }
            if (f.type() == ContentType.N && !digits(s, 0)) {
                problems.add("field " + n + ": n field holds a non-digit");
            } else if (f.type() == ContentType.XN && (s.isEmpty() || "CD".indexOf(s.charAt(0)) < 0 || !digits(s, 1))) {
                problems.add("field " + n + ": xn field is not C or D followed by digits");
            }
            if (luhn && f.sensitivity() == Sensitivity.PAN && !luhnValid(s)) {
                problems.add("field " + n + ": PAN fails the Luhn check");
            }
        });
        return problems;
    }

    private static boolean digits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * @param pan a card number
     * @return true when it is all digits (at least 2) and its Luhn check digit is right
     */
    public static boolean luhnValid(String pan) {
        if (pan.length() < 2 || !digits(pan, 0)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < pan.length(); i++) {
            int d = pan.charAt(pan.length() - 1 - i) - '0';
            if ((i & 1) == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
