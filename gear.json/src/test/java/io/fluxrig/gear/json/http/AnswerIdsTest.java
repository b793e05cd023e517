package io.fluxrig.gear.json.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fluxrig.msg.FluxMsg;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Answer ids: the same request gets the same answer id, in the UUIDv7 layout, time-ordered. */
class AnswerIdsTest {
    @Test
    void theSameRequestGetsTheSameAnswerIdAndOthersDiffer() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            UUID request = FluxMsg.builder().data("n", i).build().id();
            UUID answer = AnswerIds.of("issuer", request);
            assertEquals(answer, AnswerIds.of("issuer", request));
            assertNotEquals(answer, AnswerIds.of("issuer-2", request));
            assertEquals(7, answer.version());
            assertEquals(2, answer.variant());
            assertEquals(request.getMostSignificantBits() >>> 16, answer.getMostSignificantBits() >>> 16,
                    "the answer keeps the request's millisecond timestamp");
            assertEquals(true, seen.add(answer));
        }
    }
}
