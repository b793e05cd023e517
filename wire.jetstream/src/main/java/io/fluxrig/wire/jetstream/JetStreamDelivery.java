package io.fluxrig.wire.jetstream;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.wire.WireDelivery;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One delivery handed to a {@link io.fluxrig.wire.WireHandler}. The first {@link #ack} or
 * {@link #nak} wins, later calls are ignored. Either may be called from any thread; a nak of the
 * last allowed delivery dead-letters the message on the calling thread (blocking until the dead
 * letter is acknowledged).
 */
final class JetStreamDelivery implements WireDelivery {
    private final Message message;
    private final FluxMsg msg;
    private final int count;
    private final WireConsumer owner;
    private final AtomicBoolean settled = new AtomicBoolean();

    JetStreamDelivery(Message message, FluxMsg msg, int count, WireConsumer owner) {
        this.message = message;
        this.msg = msg;
        this.count = count;
        this.owner = owner;
    }

    @Override
    public FluxMsg msg() {
        return msg;
    }

    @Override
    public int deliveryCount() {
        return count;
    }

    @Override
    public void ack() {
        if (settled.compareAndSet(false, true)) {
            message.ack();
        }
    }

    @Override
    public void nak(Duration delay, String reason) {
        if (settled.compareAndSet(false, true)) {
            owner.failed(message, count, delay == null || delay.isNegative() ? Duration.ZERO : delay, reason);
        }
    }

    /** @return the message's sequence in its stream: two deliveries with the same one are one stored message */
    long streamSequence() {
        return message.metaData().streamSequence();
    }

    boolean settled() {
        return settled.get();
    }
}
