package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.LogText;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandAck;
import io.fluxrig.snake.api.CommandBatch;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.SnakeRoute;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack side of {@link Commands} on the Snake: {@code GET /snake/commands?waitMs=N}
 * ({@link SnakeRoute#COMMANDS}) answers at
 * once with the rack's pending commands, or holds the request (asynchronously: no Jetty thread
 * waits) until a command is queued for it on this Mixer or {@code N} ms pass (at most
 * {@value #MAX_WAIT_MS}, below Jetty's idle timeout); {@code POST /snake/commands/result} stores a
 * result. Commands queued on another Mixer sharing the NATS reach the rack at its next poll.
 *
 * <p>Threading: a held poll is completed exactly once (an atomic flag), by the enqueuing
 * listener or the timer, and its reply is built on {@code scheduler}'s threads.
 */
final class CommandEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CommandEndpoint.class);
    static final long MAX_WAIT_MS = 25_000;

    private final Commands commands;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;

    CommandEndpoint(Commands commands, ScheduledExecutorService scheduler, ObjectMapper json) {
        this.commands = commands;
        this.scheduler = scheduler;
        this.json = json;
    }

    void poll(String rack, Request request, Response response, Callback callback) throws IOException, Exchange.Refused {
        long wait = waitMillis(Request.extractQueryParameters(request).getValue(SnakeRoute.WAIT_MS));
        List<CommandRecord> now = commands.pending(rack);
        if (!now.isEmpty() || wait == 0) {
            send(now, response, callback);
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Runnable> remove = new AtomicReference<>(() -> { });
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                remove.get().run();
                scheduler.execute(() -> {
                    try {
                        send(commands.pending(rack), response, callback);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("command poll of rack {} failed: {}", rack, LogText.escape(e.toString()));
                        Exchange.error(response, callback, json, 503, "commands unavailable: " + e.getMessage());
                    }
                });
            }
        };
        remove.set(commands.onEnqueue(rack, finish));
        scheduler.schedule(finish, wait, TimeUnit.MILLISECONDS);
        if (!commands.pending(rack).isEmpty()) {
            finish.run(); // queued between the first look and the listener's registration
        }
    }

    private void send(List<CommandRecord> pending, Response response, Callback callback) throws IOException {
        List<CommandRecord> handed = commands.delivered(pending); // without those cancelled meanwhile
        CommandBatch batch = new CommandBatch(handed.stream().map(c -> new Command(c.id(), c.type(), c.args())).toList());
        Exchange.reply(response, callback, json, 200, batch);
    }

    CommandAck result(String rack, CommandResult body) throws Exchange.Refused, IOException {
        String id = Exchange.required(body.id(), "id");
        String status = Exchange.required(body.status(), "status");
        String detail = body.detail();
        if (!CommandResult.STATUSES.contains(status)) {
            throw new Exchange.Refused(400, "field 'status' must be done, failed or refused");
        }
        if (detail != null && detail.length() > 16_384) {
            detail = detail.substring(0, 16_384) + "...";
        }
        CommandRecord c = commands.complete(rack, id, status, detail)
                .orElseThrow(() -> new Exchange.Refused(404, "rack '" + rack + "' has no command '" + id + "'"));
        // id, status and detail come from the rack: one escaped log line whatever they hold
        LOG.info("rack {} command {} ({}): {} {}", rack, LogText.escape(id), c.type(), status, LogText.escape(detail));
        return new CommandAck(id, c.state());
    }

    static long waitMillis(String text) throws Exchange.Refused {
        if (text == null) {
            return 0;
        }
        try {
            long w = Long.parseLong(text);
            if (w < 0) {
                throw new NumberFormatException();
            }
            return Math.min(w, MAX_WAIT_MS);
        } catch (NumberFormatException e) {
            throw new Exchange.Refused(400, "query 'waitMs' must be a number of milliseconds");
        }
    }
}
