package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.LogText;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.store.RackQuery;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.mixer.store.TokenStore;
import io.fluxrig.snake.api.CommandRequest;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.OperatorTokenReply;
import io.fluxrig.snake.api.OperatorTokenRequest;
import io.fluxrig.snake.api.RackNames;
import io.fluxrig.snake.api.TokenReply;
import io.fluxrig.snake.api.TokenRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator REST API (see {@code openapi.yaml}): tokens, racks, revoke; commands and health
 * through {@link CommandRoutes}; artifact uploads through {@link ArtifactRoutes}. A servlet for the
 * paths {@code /api/*} on Felix HTTP's HTTPS endpoint, beside the Web Console (see
 * {@code io.fluxrig.mixer.operator.OperatorServices}). Every request needs the operator bearer
 * token, checked before anything else is read ({@link OperatorServlet}, shared with {@link RolloutServlet}). Runs on Felix HTTP's request threads; state lives
 * in the thread-safe stores.
 */
public final class ApiHandler extends OperatorServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Duration MAX_TTL = Duration.ofDays(7);

    private final transient TokenStore tokens;
    private final transient HostNames hostNames;
    private final transient RackRegistry racks;
    private final String caHash;
    private final String snakeAddress;
    private final transient ToIntFunction<String> disconnect;
    private final transient SecureRandom random;
    private final transient Clock clock;
    private final transient CommandRoutes commandRoutes;
    private final transient ArtifactRoutes artifactRoutes;
    private final transient FanOutRoutes fanOutRoutes;

    /**
     * @param operator the bearer token verifier
     * @param tokens enrolment tokens
     * @param racks the registry
     * @param caHash the CA hash racks pin
     * @param snakeAddress HOST:PORT racks dial, for the printed command
     * @param disconnect closes a rack's Snake connections, returns how many
     * @param random randomness for tokens
     * @param clock time source
     * @param json the Mixer's mapper
     * @param commands rack commands
     * @param health health and readiness data (NATS state)
     * @param artifacts the artifacts racks fetch (uploads go there)
     * @param artifactMaxBytes the largest upload stored
     * @param hostNames the Mixer's own names, which no rack may take
     * @param fanOuts commands to every rack a selector matches
     */
    public ApiHandler(OperatorToken operator, TokenStore tokens, RackRegistry racks, String caHash, String snakeAddress,
            ToIntFunction<String> disconnect, SecureRandom random, Clock clock, ObjectMapper json, Commands commands,
            Supplier<Map<String, Object>> health, Artifacts artifacts, long artifactMaxBytes, HostNames hostNames,
            io.fluxrig.mixer.rollout.FanOuts fanOuts) {
        super(operator, json);
        this.fanOutRoutes = new FanOutRoutes(fanOuts, new CommandArgsCheck(artifacts));
        this.hostNames = hostNames;
        this.commandRoutes = new CommandRoutes(commands, health, json, new CommandArgsCheck(artifacts));
        this.artifactRoutes = new ArtifactRoutes(artifacts, artifactMaxBytes, json);
        this.tokens = tokens;
        this.racks = racks;
        this.caHash = caHash;
        this.snakeAddress = snakeAddress;
        this.disconnect = disconnect;
        this.random = random;
        this.clock = clock;
    }

    @Override
    boolean route(String method, String path, String[] parts, HttpServletRequest request, HttpServletResponse response)
            throws Exchange.Refused, IOException {
        CommandRoutes.Answer answer = path.startsWith(OperatorPaths.ARTIFACTS) ? artifactRoutes.route(method, path, request)
                : path.startsWith(io.fluxrig.snake.api.fanout.FanOutPaths.FANOUTS) ? fanOutRoutes.route(method, path, request)
                : commandRoutes.route(method, path, () -> ServletExchange.body(request, CommandRequest.class));
        if (answer != null) {
            ServletExchange.reply(response, json, answer.status(), answer.body());
        } else if (OperatorPaths.OPERATOR_TOKEN_ROTATE.equals(path) && "POST".equals(method)) {
            OperatorTokenRequest body = ServletExchange.body(request, OperatorTokenRequest.class);
            Instant expires = body == null || body.ttl() == null ? null : clock.instant().plus(tokenTtl(body.ttl()));
            ServletExchange.reply(response, json, 200, new OperatorTokenReply(operator.rotate(random, expires),
                    expires == null ? null : expires.toString()));
        } else if (OperatorPaths.TOKENS.equals(path) && "POST".equals(method)) {
            ServletExchange.reply(response, json, 201, mint(ServletExchange.body(request, TokenRequest.class)));
        } else if (OperatorPaths.RACKS.equals(path) && "GET".equals(method)) {
            ServletExchange.reply(response, json, 200, racks.page(query(request)).info(racks.summaries()));
        } else if (parts.length == 4 && path.startsWith(OperatorPaths.RACKS + "/") && "GET".equals(method)) {
            ServletExchange.reply(response, json, 200, racks.get(parts[3])
                    .orElseThrow(() -> new Exchange.Refused(404, "no rack '" + parts[3] + "'")));
        } else if (parts.length == 5 && path.startsWith(OperatorPaths.RACKS + "/") && OperatorPaths.REVOKE.equals(parts[4])
                && "POST".equals(method)) {
            ServletExchange.reply(response, json, 200, revoke(parts[3]));
        } else {
            return false;
        }
        return true;
    }

    private static RackQuery query(HttpServletRequest request) throws Exchange.Refused {
        try {
            return RackQuery.parse(name -> {
                String[] v = request.getParameterValues(name);
                return v == null ? List.of() : List.of(v);
            });
        } catch (RackQuery.Invalid e) {
            throw new Exchange.Refused(400, e.getMessage());
        }
    }

    private TokenReply mint(TokenRequest body) throws Exchange.Refused, IOException {
        String rack = body.rack();
        if (rack != null && !RackNames.valid(rack)) {
            throw new Exchange.Refused(400, "field 'rack' must be a rack name: " + RackNames.problem(rack));
        }
        String collision = hostNames.collision(rack);
        if (collision != null) {
            throw new Exchange.Refused(400, "field 'rack': " + collision);
        }
        Map<String, String> labels = Exchange.strings(body.labels(), "labels");
        Duration ttl = ttl(body.ttl());
        long now = clock.millis();
        String token = tokens.mint(random, new TokenRecord(rack, labels, now, now + ttl.toMillis(), false, null));
        LOG.info("enrolment token minted for rack {} (ttl {})", rack == null ? "<any>" : rack, ttl);
        // The command never holds the token: the rack asks for it (--token alone), so it stays out of ps and shell history.
        return new TokenReply(token, rack, now + ttl.toMillis(), caHash, "run/fluxrig rack --name "
                + (rack == null ? "NAME" : rack) + " --mixer " + snakeAddress + " --token --ca-hash " + caHash);
    }

    /** @param text an operator token's lifetime: N followed by m, h or d (as {@code operator-token rotate --ttl}) */
    static Duration tokenTtl(String text) throws Exchange.Refused {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})([mhd])").matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new Exchange.Refused(400, "field 'ttl' must be N followed by m, h or d, e.g. 90d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** @param text {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d} or seconds; null means 1h */
    static Duration ttl(String text) throws Exchange.Refused {
        if (text == null) {
            return Duration.ofHours(1);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd]?)").matcher(text.trim());
        if (!m.matches()) {
            throw new Exchange.Refused(400, "field 'ttl' must look like 90s, 30m, 1h or 2d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(MAX_TTL) > 0) {
            throw new Exchange.Refused(400, "field 'ttl' must be between 1s and 7d");
        }
        return d;
    }

    private RackRecord revoke(String name) throws Exchange.Refused, IOException {
        RackRecord r = racks.update(name, x -> RackRecord.REVOKED.equals(x.state()) ? x
                : x.withState(RackRecord.REVOKED, "revoked by the operator"))
                .orElseThrow(() -> new Exchange.Refused(404, "no rack '" + name + "'"));
        int closed = disconnect.applyAsInt(name); // after the registry says revoked: a reconnect is refused
        LOG.warn("rack {} revoked; {} Snake connection(s) closed", LogText.escape(name), closed);
        return r;
    }
}
