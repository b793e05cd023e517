package io.fluxrig.mixer.command;

import java.io.IOException;
import java.util.Map;

/**
 * What a command means beyond itself for the rack's credentials: the Mixer narrows each rack's
 * NATS permissions to the wires of the patch it deploys, and a changed credential reaches the rack
 * through a certificate renewal. {@link Commands} asks the hook before storing a command and after
 * storing a result, and queues a {@code renew-certificate} for the rack when the hook says so.
 *
 * <p>Called on the thread that queues the command or reports the result; must be thread-safe.
 */
public interface CommandHook {
    /** Nothing beyond the command. */
    CommandHook NONE = new CommandHook() {
        @Override
        public boolean queuing(String rack, String type, Map<String, String> args) {
            return false;
        }

        @Override
        public boolean finished(CommandRecord command, java.util.List<CommandRecord> pending) {
            return false;
        }
    };

    /**
     * @return whether the rack must renew its credential before this command can work (a
     *     {@code renew-certificate} is then queued ahead of it)
     * @throws IOException when the state behind the decision cannot be stored (the command is not queued)
     */
    boolean queuing(String rack, String type, Map<String, String> args) throws IOException;

    /**
     * @param command the command with its result
     * @param pending the rack's commands still without a result
     * @return whether the rack must renew its credential now that the command has finished
     */
    boolean finished(CommandRecord command, java.util.List<CommandRecord> pending);
}
