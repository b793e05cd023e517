package io.fluxrig.iso8583;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the iso87binary dialect: decode → encode → decode, checked by
 * {@link RoundTripOracle}. Without {@code JAZZER_FUZZ} (regression mode, the normal test run) it
 * runs the committed inputs in {@code src/test/resources/io/fluxrig/iso8583/Iso87BinaryFuzzerInputs/}
 * (seeds, and every finding kept as a regression input); the module's {@code fuzz} test execution
 * runs it with {@code JAZZER_FUZZ=1} for {@code maxDuration}, in a JVM of its own (Jazzer fuzzes
 * one test per JVM). How to fuzz longer: the module README.
 */
class Iso87BinaryFuzzer {
    private final RoundTripOracle oracle = new RoundTripOracle("iso87binary");

    @FuzzTest(maxDuration = "20s")
    void decodeEncodeDecode(byte[] input) {
        oracle.check(input);
    }
}
