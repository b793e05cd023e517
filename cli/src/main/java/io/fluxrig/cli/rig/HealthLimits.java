package io.fluxrig.cli.rig;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syntax of a rollout's health-gate limits, shared by {@code rollout create}
 * ({@code --max-error-rate}, {@code --max-p99}) and a rig file's {@code rollout} block
 * ({@code max-error-rate}, {@code max-p99}), so both accept and refuse the same values. Each
 * method throws {@link IllegalArgumentException} with the reason only; the caller names the option
 * or the file, line and field. Stateless.
 */
public final class HealthLimits {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private HealthLimits() {
    }

    /**
     * @param text {@code 5%} or {@code 0.05}
     * @return the error-rate limit as a fraction from 0 to 1
     * @throws IllegalArgumentException when it is not a share from 0 to 100 %
     */
    public static double errorRate(String text) {
        String t = text.strip();
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("'" + text + "' must be a share like 5% or 0.05 (0 to 100%)");
    }

    /**
     * @param text a duration such as {@code 250ms} or {@code 1s}
     * @return the p99 limit in milliseconds, more than 0
     * @throws IllegalArgumentException when it is no duration or is 0
     */
    public static double p99Millis(String text) {
        long ms = millis(text);
        if (ms <= 0) {
            throw new IllegalArgumentException("'" + text + "' must be more than 0");
        }
        return ms;
    }

    /**
     * @param text {@code 500ms}, {@code 30s}, {@code 10m} or {@code 1h}
     * @return it in milliseconds
     * @throws IllegalArgumentException when it has another form
     */
    public static long millis(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' must look like 500ms, 30s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }
}
