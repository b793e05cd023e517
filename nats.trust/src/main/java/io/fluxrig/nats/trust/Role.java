package io.fluxrig.nats.trust;

import java.util.List;

/**
 * Who connects to NATS, in which account, with which permissions. Three accounts keep the state
 * apart: the Mixer's buckets live in the Mixer's account, which no rack or operator tool can
 * reach at all (accounts are isolated; a stream in one cannot source another's), the wires in
 * the wires account, and the system account only carries account updates.
 *
 * <p>The wire subjects are {@code fluxrig.wire.>} (wire.jetstream's naming); JetStream's API is
 * {@code $JS.API.>}, acknowledgements {@code $JS.ACK.>}, flow control {@code $JS.FC.>}; replies
 * come to {@code _INBOX.>} (jnats' default inbox prefix).
 */
public enum Role {
    /** The Mixer: everything in its own account (its KV buckets {@code fluxrig_mixer_*} and their JetStream API). */
    MIXER(NatsTrust.Account.MIXER, Permissions.ALL),
    /**
     * The Mixer's system-account user: pushes updated account JWTs (revocations) and reads back
     * what each server holds of an account (the JWT in its resolver folder, {@code CLAIMS.LOOKUP};
     * the claims it enforces, {@code INFO}), nothing else.
     */
    MIXER_SYSTEM(NatsTrust.Account.SYSTEM, new Permissions(
            List.of("$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE", "$SYS.REQ.CLAIMS.UPDATE", "$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP",
                    "$SYS.REQ.ACCOUNT.*.INFO"), List.of(),
            List.of("_INBOX.>"), List.of())),
    /**
     * A rack: publishes and reads wires, provisions its streams and consumers, acknowledges; may
     * not delete or purge streams or messages (an operator's job, see {@link #ADMIN}).
     */
    RACK(NatsTrust.Account.WIRES, new Permissions(
            List.of("fluxrig.wire.>", "$JS.API.>", "$JS.ACK.>", "$JS.FC.>", "_INBOX.>"),
            List.of("$JS.API.STREAM.DELETE.>", "$JS.API.STREAM.PURGE.>", "$JS.API.STREAM.MSG.DELETE.>"),
            List.of("fluxrig.wire.>", "_INBOX.>"), List.of())),
    /**
     * Operator tools that read ({@code wires}, {@code tail}): stream and consumer information,
     * ephemeral consumers delivering to their inbox, flow-control replies. No wire subject, no
     * acknowledgement, no pull from a rack's durable consumer, no change to a stream.
     */
    READER(NatsTrust.Account.WIRES, new Permissions(
            List.of("$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.LIST", "$JS.API.STREAM.INFO.*",
                    "$JS.API.STREAM.MSG.GET.*", "$JS.API.DIRECT.GET.*", "$JS.API.DIRECT.GET.*.>",
                    "$JS.API.CONSUMER.CREATE.*", "$JS.API.CONSUMER.CREATE.*.>", "$JS.API.CONSUMER.INFO.*.*",
                    "$JS.API.CONSUMER.NAMES.*", "$JS.API.CONSUMER.LIST.*", "$JS.FC.>"),
            List.of("fluxrig.wire.>", "$JS.ACK.>", "$JS.API.CONSUMER.MSG.NEXT.>"),
            List.of("_INBOX.>"), List.of("fluxrig.wire.>"))),
    /** Operator tools that change wires ({@code wire replay}), tests and benchmarks: everything in the wires account. */
    ADMIN(NatsTrust.Account.WIRES, Permissions.ALL);

    private final NatsTrust.Account account;
    private final Permissions permissions;

    Role(NatsTrust.Account account, Permissions permissions) {
        this.account = account;
        this.permissions = permissions;
    }

    public NatsTrust.Account account() {
        return account;
    }

    public Permissions permissions() {
        return permissions;
    }
}
