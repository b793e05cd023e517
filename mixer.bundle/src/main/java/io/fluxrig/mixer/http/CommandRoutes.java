package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.LogText;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.snake.api.CommandQueued;
import io.fluxrig.snake.api.CommandRequest;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's command and health routes, split from {@link ApiHandler} so that each class
 * keeps one concern: {@code POST|GET /api/racks/{name}/commands},
 * {@code GET /api/racks/{name}/commands/{id}}, {@code POST /api/racks/{name}/commands/{id}/cancel}
 * and {@code GET /api/health}. Commands that name an
 * artifact are checked first ({@link CommandArgsCheck}). Called on Felix
 * HTTP's request threads after the bearer token was checked; the command store is thread-safe.
 */
final class CommandRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRoutes.class);

    private final Commands commands;
    private final Supplier<Map<String, Object>> health;
    private final ObjectMapper json;
    private final CommandArgsCheck argsCheck;

    CommandRoutes(Commands commands, Supplier<Map<String, Object>> health, ObjectMapper json, CommandArgsCheck argsCheck) {
        this.commands = commands;
        this.argsCheck = argsCheck;
        this.health = health;
        this.json = json;
    }

    /** A route's answer: status and body. */
    record Answer(int status, Object body) {
    }

    /**
     * @param method the HTTP method
     * @param path the path below the servlet, e.g. {@code /api/racks/r1/commands}
     * @param body reads the request body on demand (only POST needs one)
     * @return the answer, or null when the path is not one of these routes
     */
    Answer route(String method, String path, BodyReader body) throws Exchange.Refused, IOException {
        String[] parts = path.split("/");
        boolean commandsPath = parts.length >= 5 && path.startsWith(OperatorPaths.RACKS + "/")
                && OperatorPaths.COMMANDS.equals(parts[4]);
        if (OperatorPaths.HEALTH.equals(path) && "GET".equals(method)) {
            Map<String, Object> h = health.get();
            return new Answer(Boolean.TRUE.equals(h.get("ready")) ? 200 : 503, h);
        } else if (commandsPath && parts.length == 5 && "POST".equals(method)) {
            return new Answer(201, enqueue(parts[3], body.read()));
        } else if (commandsPath && parts.length == 5 && "GET".equals(method)) {
            return new Answer(200, commands.list(parts[3]));
        } else if (commandsPath && parts.length == 7 && OperatorPaths.CANCEL.equals(parts[6]) && "POST".equals(method)) {
            return new Answer(200, cancel(parts[3], parts[5]));
        } else if (commandsPath && parts.length == 6 && "GET".equals(method)) {
            // By rack and id: the index or a direct get from the stream leader, so a command just
            // queued is found on a clustered store too (a key listing may run on a lagging replica).
            return new Answer(200, commands.find(parts[3], parts[5])
                    .orElseThrow(() -> new Exchange.Refused(404, "rack '" + parts[3] + "' has no command '" + parts[5] + "'")));
        }
        return null;
    }

    private CommandRecord cancel(String rack, String id) throws Exchange.Refused, IOException {
        Commands.Cancelled c = commands.cancel(rack, id, "cancelled by the operator", false);
        CommandRecord now = commands.find(rack, id).orElse(null);
        if (c == Commands.Cancelled.UNKNOWN || now == null) {
            throw new Exchange.Refused(404, "rack '" + rack + "' has no command '" + id + "'");
        }
        if (c == Commands.Cancelled.TAKEN) {
            throw new Exchange.Refused(409, "command " + id + " was already handed to rack '" + rack + "' (" + now.deliveries()
                    + " time(s)) and may be running there: not cancelled; its result will be recorded");
        }
        if (c == Commands.Cancelled.FINISHED) {
            throw new Exchange.Refused(409, "command " + id + " already has the rack's result (" + now.state() + "): not cancelled");
        }
        LOG.info("command {} ({}) for rack {} cancelled by the operator", id, now.type(), LogText.escape(rack));
        return now;
    }

    /** Reads the request body as a {@link CommandRequest}; refuses a malformed one naming the field. */
    interface BodyReader {
        CommandRequest read() throws Exchange.Refused, IOException;
    }

    private CommandQueued enqueue(String rack, CommandRequest body) throws Exchange.Refused, IOException {
        String type = Exchange.required(body.type(), "type");
        Map<String, String> args = Exchange.strings(body.args(), "args");
        argsCheck.check(type, args);
        String id;
        try {
            id = commands.enqueue(rack, type, args);
        } catch (Commands.Refused r) {
            throw new Exchange.Refused(r.getMessage().startsWith("rack: no rack") ? 404 : 400, r.getMessage());
        }
        LOG.info("command {} ({}) queued for rack {}", id, LogText.escape(type), LogText.escape(rack));
        return new CommandQueued(id, rack, type, CommandRecord.PENDING);
    }
}
