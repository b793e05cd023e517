package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code iso8583.client} gear: keeps one connection to an ISO 8583 host (a scheme, an issuer)
 * and sends it the requests arriving on {@code in}.
 *
 * <ul>
 * <li><b>Requests</b>: decoded messages (data {@code mti} and fields, as {@code iso8583.codec}
 *     decode or {@code iso8583.responder} produce); their {@code raw} bytes are sent when present,
 *     otherwise the client encodes them with its {@code dialect}. A message with only raw bytes is
 *     decoded to find its key.</li>
 * <li><b>Responses</b>: paired by {@link MatchKey} (MTI class + {@code match.fields}, default
 *     STAN 11 + terminal 41) and emitted on {@code out} decoded, with the bytes in raw, derived
 *     from the request ({@code ref} = request id, request meta such as {@code iso.conn} kept).</li>
 * <li><b>Failures are answered, never dropped</b>: no response within {@code response.timeout.ms},
 *     or the connection dropping first, emits the request on {@code error} with meta
 *     {@code error} stating the reason (the client does not invent a 39=91 response: a gear
 *     that knows the business decides how to decline). A request while disconnected, with a key
 *     already waiting, or beyond {@code max.inflight} is rejected at once with
 *     {@link GearRejection}; nothing is queued.</li>
 * <li><b>Connection</b>: connects in the background after {@link #open} (never during
 *     activation), reconnects with exponential backoff, optionally sends 0800 echoes (7, 11,
 *     70=301) every {@code echo.interval.ms} and drops the connection when one goes unanswered.</li>
 * </ul>
 *
 * <p>Threading: see {@link ClientLink}. {@link #open}/{@link #close} are serialised by
 * {@code this}; {@link #onMessage} may run on any number of threads.
 */
@GearType(value = ClientGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "ISO 8583 TCP client: requests from in to a host, matched responses on out, timeouts on error")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + ClientGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + ClientGear.TYPE)
@Designate(ocd = ClientConfig.class, factory = true)
public class ClientGear implements Gear {
    static final String TYPE = "iso8583.client";

    private final ClientSettings settings;
    private volatile ClientLink link;

    /**
     * Checks and copies the configuration; connects nothing.
     *
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute that is wrong
     */
    @Activate
    public ClientGear(ClientConfig config) {
        this.settings = ClientSettings.of(config);
    }

    @Override
    public synchronized void open(GearContext context) {
        close();
        ClientLink l = new ClientLink(settings, context);
        l.start();
        link = l;
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        ClientLink l = link;
        if (l == null) {
            throw new GearRejection("iso8583.client " + context.instance() + ": closed, request not sent");
        }
        l.send(msg);
    }

    /** @return the counters of the current binding (zeros when closed) */
    public ClientCounters counters() {
        ClientLink l = link;
        return l == null ? new ClientCounters(false, 0, 0, 0, 0, 0, 0, 0) : l.counters();
    }

    @Override
    public synchronized void close() {
        ClientLink l = link;
        link = null;
        if (l != null) {
            l.stop();
        }
    }

    /** Stops the connection if the rack did not close this instance first. */
    @Deactivate
    void deactivate() {
        close();
    }
}
