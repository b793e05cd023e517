package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rollback ROLLOUT}: an operator's rollback of a rollout, running or ended
 * ({@code POST /api/rollouts/{id}/rollback}). Stateless.
 */
@Command(name = "rollback", description = {"undo a rollout on every rack it changed, also after it ended",
        "Every rack the rollout changed restores what it ran before: the patch (the numbered snapshot it kept), then each "
                + "bundle (the release it kept; a bundle new to it is uninstalled), the last change first; a queued step not "
                + "taken yet is withdrawn; racks it never changed are left as they are. A rack changed again since (a later "
                + "rollout or deploy) refuses to restore over that change. Prints the rollout; 'rollout status ID' follows it "
                + "to rolled-back.",
        "Exit codes: 0 the rollback started, 1 the Mixer refused (no such rollout, rolled back already), 2 usage.",
        MixerApiOptions.ENVIRONMENT})
public final class RollbackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ROLLOUT", description = "the rollout's id")
    String id;
    @Option(names = "--json", description = "print the rollout as one line of JSON")
    boolean json;
    @Mixin
    MixerApiOptions apiOptions;
    private final Console console;

    RollbackCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        MixerApiClient.Reply r = apiOptions.client(console).call("POST", RolloutPaths.action(id, RolloutPaths.ROLLBACK), null);
        if (r.status() != 200 || !(r.json() instanceof Map<?, ?> m)) {
            console.err().println("fluxrig rollback: the Mixer refused: " + r.error());
            return Exit.FAILED;
        }
        if (json) {
            console.out().println(Pretty.compact(m));
        } else {
            RolloutCommand.print(console, m);
        }
        return Exit.OK;
    }
}
