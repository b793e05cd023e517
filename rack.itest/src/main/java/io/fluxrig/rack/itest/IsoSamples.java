package io.fluxrig.rack.itest;

/** ISO 8583 messages the in-framework tests send, written out byte for byte. */
final class IsoSamples {
    /** A 1987 ASCII 0200 with fields 2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49; STAN 000123, amount 123.45 USD. */
    static final String AUTH_0200 = "0200" + "7238000108C08000"
            + "16" + "4761739001010119" + "000000" + "000000012345" + "0131235959" + "000123" + "235959" + "0131"
            + "06" + "123456" + "000000000123" + "TERM0001" + "MERCHANT0000001" + "840";

    private IsoSamples() {
    }
}
