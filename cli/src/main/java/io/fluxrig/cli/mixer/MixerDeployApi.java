package io.fluxrig.cli.mixer;

import java.io.IOException;
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
        MixerApiClient.Reply r = api.upload("/api/artifacts", file);
        return field(expect(r, 200, 201), "digest");
    }

    @Override
    public String enqueue(String rack, String type, Map<String, String> args) throws Refusal, IOException {
        StringBuilder body = new StringBuilder("{\"type\":").append(MixerApiClient.quote(type)).append(",\"args\":{");
        String sep = "";
        for (Map.Entry<String, String> e : args.entrySet()) {
            body.append(sep).append(MixerApiClient.quote(e.getKey())).append(':').append(MixerApiClient.quote(e.getValue()));
            sep = ",";
        }
        body.append("}}");
        return field(expect(api.call("POST", "/api/racks/" + rack + "/commands", body.toString()), 201, 201), "id");
    }

    @Override
    public CommandState status(String rack, String id) throws Refusal, IOException {
        Map<?, ?> m = expect(api.call("GET", "/api/racks/" + rack + "/commands/" + id, null), 200, 200);
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
