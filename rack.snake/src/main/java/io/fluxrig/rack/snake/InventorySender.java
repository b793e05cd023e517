package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.HeartbeatReply;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.InventoryDigest;

/**
 * Decides, per heartbeat, whether the inventory travels in full or as its digest (the rule is
 * the contract's, see {@link Heartbeat}): in full when its digest differs from the one the
 * Mixer's last reply said it holds, else the digest and the live part only (gear instances, wire
 * transport). The digest is computed again only when the inventory's stable part is not equal to
 * the last one named
 * ({@link InventorySnapshot} keeps its bundle lists, so an unchanged inventory compares by
 * identity).
 *
 * <p>Threading: the Snake thread only.
 */
class InventorySender {
    private Inventory named; // the stable part of the last inventory digested
    private String digest; // its digest
    private String mixerHolds; // the digest the Mixer's last reply named, or null

    /**
     * @param current a heartbeat with the rack's full inventory (or none)
     * @return what to send: the full inventory with its digest, or the digest only
     */
    Heartbeat body(Heartbeat current) {
        Inventory inventory = current.inventory();
        if (inventory == null) {
            return current;
        }
        Inventory bare = InventoryDigest.stable(inventory);
        if (!bare.equals(named)) {
            digest = InventoryDigest.of(bare);
            named = bare;
        }
        return digest.equals(mixerHolds) ? current.digestOnly(digest) : current.withInventoryDigest(digest);
    }

    /**
     * @param sent the heartbeat the Mixer answered
     * @param reply its answer
     * @return whether the heartbeat carried only a digest the Mixer does not hold, so the full
     *     inventory must follow at once
     */
    boolean answered(Heartbeat sent, HeartbeatReply reply) {
        mixerHolds = reply.inventoryDigest();
        return sent.inventory() == null && sent.inventoryDigest() != null && !sent.inventoryDigest().equals(mixerHolds);
    }

    /**
     * @return a sender that sends the inventory in every heartbeat without a digest, as a rack that
     *     predates inventory digests does (tests and the heartbeat benchmark compare against it)
     */
    static InventorySender everyTime() {
        return new InventorySender() {
            @Override
            Heartbeat body(Heartbeat current) {
                return current;
            }
        };
    }

    /** The exchange failed (or the connection changed): the next heartbeat carries the full inventory. */
    void forget() {
        mixerHolds = null;
    }
}
