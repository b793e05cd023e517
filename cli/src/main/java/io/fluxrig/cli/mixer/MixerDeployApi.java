package io.fluxrig.cli.mixer;

import io.fluxrig.snake.api.CommandRequest;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.SnakeCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** {@link DeployApi} over the real operator API. One instance per command run, single-threaded. */
final class MixerDeployApi implements DeployApi {
    private final MixerApiClient api;

    MixerDeployApi(MixerApiClient api) {
        this.api = api;
    }

    @Override
    public String upload(Path file) throws Refusal, IOException {
        MixerApiClient.Reply r = api.upload(OperatorPaths.ARTIFACTS, file);
        return field(expect(r, 200, 201), "digest");
    }

    @Override
    public String enqueue(String rack, String type, Map<String, String> args) throws Refusal, IOException {
        String body = new String(SnakeCodec.json().write(new CommandRequest(type, args)), StandardCharsets.UTF_8);
        return field(expect(api.call("POST", OperatorPaths.commands(rack), body), 201, 201), "id");
    }

    @Override
    public CommandState status(String rack, String id) throws Refusal, IOException {
        Map<?, ?> m = expect(api.call("GET", OperatorPaths.command(rack, id), null), 200, 200);
        Object detail = m.get("detail");
        return new CommandState(field(m, "state"), detail == null ? null : String.valueOf(detail));
    }

    private static Map<?, ?> expect(MixerApiClient.Reply r, int ok, int alsoOk) throws Refusal {
        if ((r.status() != ok && r.status() != alsoOk) || !(r.json() instanceof Map<?, ?> m)) {
            throw new Refusal(r.status(), r.error() + (r.status() == 200 || r.status() == 201 ? " (unexpected answer)" : ""));
        }
        return m;
    }

    private static String field(Map<?, ?> m, String name) throws Refusal {
        Object v = m.get(name);
        if (!(v instanceof String s)) {
            throw new Refusal(200, "the Mixer's answer has no '" + name + "'");
        }
        return s;
    }
}
