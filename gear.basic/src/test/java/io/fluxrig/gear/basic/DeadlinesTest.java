package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fluxrig.msg.FluxMsg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deadline gear's bookkeeping, with explicit times: each request leaves once, by reply or by expiry. */
class DeadlinesTest {
    static final long TIMEOUT = 1_000;

    private static FluxMsg request(String stan) {
        return FluxMsg.builder().data("stan", stan).build();
    }

    private static FluxMsg replyTo(FluxMsg request) {
        return request.derive().data("decision", "00").build();
    }

    /** @return deadlines (max.pending 10) with these requests registered at time 0, in this order */
    private static Deadlines waiting(FluxMsg... requests) {
        Deadlines d = new Deadlines(TIMEOUT, 10);
        for (FluxMsg r : requests) {
            d.register(r, 0);
        }
        return d;
    }

    @Test
    void aReplyAnswersItsRequestOnceAndASecondReplyIsDropped() {
        Deadlines d = new Deadlines(TIMEOUT, 10);
        FluxMsg a = request("000001");
        FluxMsg b = request("000002");
        d.register(a, 0);
        d.register(b, 10);

        assertSame(b, d.reply(replyTo(b).ref()));
        assertNull(d.reply(replyTo(b).ref()), "a duplicate reply finds nothing waiting");
        assertEquals(1, d.size());
        assertEquals(List.of(), d.expire(TIMEOUT - 1), "nothing expires before its deadline");
        assertEquals(List.of(a), d.expire(TIMEOUT), "a expires at its deadline; b was answered and does not");
        assertNull(d.reply(a.id()), "a reply after the expiry is late: dropped");
        assertEquals(0, d.size());
        assertEquals(List.of(), d.expire(10 * TIMEOUT));
    }

    @Test
    void aReplyIsPairedByItsRefOrByItsOwnIdWhenTheRequestItselfCameBack() {
        FluxMsg derived = request("1");
        FluxMsg changed = request("2");
        Deadlines d = waiting(derived, changed);
        assertSame(derived, d.answer(replyTo(derived)));
        assertSame(changed, d.answer(changed.toBuilder().data("decision", "00").build()), "same id, changed on its way");
        assertNull(d.answer(replyTo(derived)), "answered already");
        assertNull(d.answer(request("3")), "neither its ref nor its id waits");
        assertEquals(0, d.size());
    }

    @Test
    void expiryKeepsArrivalOrderAndSkipsWhatWasAnswered() {
        Deadlines d = new Deadlines(TIMEOUT, 10);
        FluxMsg a = request("1");
        FluxMsg b = request("2");
        FluxMsg c = request("3");
        d.register(a, 0);
        d.register(b, 100);
        d.register(c, 200);
        d.reply(a.id());
        assertEquals(List.of(b), d.expire(TIMEOUT + 150));
        assertEquals(List.of(c), d.expire(TIMEOUT + 250));
    }

    @Test
    void maxPendingRefusesAndForgetFreesTheSlot() {
        Deadlines d = new Deadlines(TIMEOUT, 2);
        Deadlines.Waiting first = d.register(request("1"), 0);
        d.register(request("2"), 0);
        assertNull(d.register(request("3"), 0), "the third request exceeds max.pending");
        d.forget(first);
        FluxMsg fourth = request("4");
        d.register(fourth, 0);
        assertEquals(2, d.size());
        assertEquals(List.of(fourth), d.expire(TIMEOUT).subList(1, 2), "the forgotten one never expires");
    }

    @Test
    void theSameRequestSentTwiceWaitsOnceFromItsLastSend() {
        FluxMsg a = request("1");
        Deadlines d = waiting(a);
        d.register(a, 500);
        assertEquals(List.of(), d.expire(TIMEOUT), "the first entry was replaced");
        assertEquals(List.of(a), d.expire(TIMEOUT + 500));
        assertEquals(0, d.size());
    }

    @Test
    void anAnswerRefusedDownstreamIsPutBackAndAnsweredByTheReplyDeliveredAgainOrExpires() {
        FluxMsg a = request("1");
        FluxMsg b = request("2");
        Deadlines d = waiting(a, b);
        Deadlines.Waiting took = d.take(replyTo(a));
        assertSame(a, took.request);
        d.restore(took);
        assertSame(a, d.answer(replyTo(a)), "the reply delivered again answers it, once");
        assertNull(d.answer(replyTo(a)));
        d.restore(d.take(replyTo(b)));
        assertEquals(List.of(b), d.expire(TIMEOUT), "put back and never answered: it expires, once");
        assertEquals(List.of(), d.expire(10 * TIMEOUT));
        assertEquals(0, d.size());
    }

    @Test
    void drainHandsBackWhatStillWaits() {
        FluxMsg a = request("1");
        FluxMsg b = request("2");
        Deadlines d = waiting(a, b);
        d.reply(a.id());
        assertEquals(List.of(b), d.drain());
        assertEquals(0, d.size());
    }
}
