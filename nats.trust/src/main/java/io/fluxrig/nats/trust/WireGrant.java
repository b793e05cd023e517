package io.fluxrig.nats.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The wires one rack may use, as its patch names them, and the NATS permissions that follow
 * ({@link #permissions(String)}): the Mixer signs a rack's user JWT with them, so a rack can publish to
 * and consume exactly the wires of the patch it was given, and nothing of another rack's wires.
 * Pure logic; immutable.
 *
 * <p>What each part allows (subjects in the wires account; {@code W} a wire, {@code D} a durable):
 * <ul>
 *   <li>{@code publish} W: publish on {@code fluxrig.wire.W}; create and read the information of
 *       its default stream {@code WIRE_W}.
 *   <li>{@code publishPrefixes} P (a link target whose wire is computed per message,
 *       {@code wire:P.${meta.KEY}}): publish on {@code fluxrig.wire.P.>} (the empty prefix: every
 *       wire). Such a rack finds the stream already there (the consumer side makes it); it may not
 *       create one.
 *   <li>{@code consumers} D → W: create the durable pull consumer D on any stream only with the
 *       filter {@code fluxrig.wire.W} (the filter is part of the create subject, so the server
 *       holds the rack to it), read its information, pull from it and acknowledge; publish dead
 *       letters on {@code W.dlq} (with its default stream).
 *   <li>always: {@code $JS.API.INFO}, stream names ({@code $JS.API.STREAM.NAMES}, to find the
 *       stream holding a wire), stream information ({@code $JS.API.STREAM.INFO.*}: configuration
 *       and counters, never messages), and replies on {@code _INBOX.>}.
 * </ul>
 * Never: another wire's subject, a consumer without the filter in its subject, message get,
 * stream update, delete or purge. A rack with an empty grant connects and may do nothing else.
 *
 * @param publish exact wire names the rack publishes to
 * @param publishPrefixes wire-name prefixes (whole tokens, no trailing dot) of per-message targets
 * @param consumers durable consumer name to the wire it reads
 */
public record WireGrant(SortedSet<String> publish, SortedSet<String> publishPrefixes, SortedMap<String, String> consumers) {

    /** Nothing: what a rack may do before the Mixer gave it a patch. */
    public static final WireGrant NONE = new WireGrant(Set.of(), Set.of(), Map.of());

    /** Copies and sorts (a grant's JSON and its JWT do not depend on the order things were added). */
    public WireGrant(Set<String> publish, Set<String> publishPrefixes, Map<String, String> consumers) {
        this(new TreeSet<>(publish), new TreeSet<>(publishPrefixes), new TreeMap<>(consumers));
    }

    /** Copies into unmodifiable sorted collections. */
    public WireGrant {
        publish = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(publish == null ? Set.of() : publish));
        publishPrefixes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(publishPrefixes == null ? Set.of() : publishPrefixes));
        consumers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(consumers == null ? Map.of() : consumers));
    }

    /** @return everything this grant or {@code other} allows */
    public WireGrant union(WireGrant other) {
        Set<String> p = new TreeSet<>(publish);
        p.addAll(other.publish);
        Set<String> x = new TreeSet<>(publishPrefixes);
        x.addAll(other.publishPrefixes);
        Map<String, String> c = new TreeMap<>(consumers);
        c.putAll(other.consumers);
        return new WireGrant(p, x, c);
    }

    /** @return whether this grant allows nothing */
    public boolean isEmpty() {
        return publish.isEmpty() && publishPrefixes.isEmpty() && consumers.isEmpty();
    }

    /**
     * @param rack the rack's name (its user JWT's name; its transport takes the inbox prefix from it)
     * @return the permissions of that rack's user JWT in the wires account
     * @throws IllegalArgumentException when the name is not one subject token
     */
    public Permissions permissions(String rack) {
        String inbox = WireSubjects.inboxPrefix(rack) + ".>";
        Set<String> pub = new TreeSet<>();
        pub.add("$JS.API.INFO");
        pub.add("$JS.API.STREAM.NAMES");
        pub.add("$JS.API.STREAM.INFO.*");
        Set<String> writable = new TreeSet<>(publish);
        consumers.values().forEach(w -> writable.add(WireSubjects.dlq(w)));
        for (String w : writable) {
            pub.add(WireSubjects.subject(w));
            pub.add("$JS.API.STREAM.CREATE." + WireSubjects.defaultStream(w));
        }
        for (String prefix : publishPrefixes) {
            pub.add(prefix.isEmpty() ? WireSubjects.SUBJECT_PREFIX + ">" : WireSubjects.subject(prefix) + ".>");
        }
        for (Map.Entry<String, String> e : consumers.entrySet()) {
            String d = e.getKey();
            pub.add("$JS.API.STREAM.CREATE." + WireSubjects.defaultStream(e.getValue()));
            pub.add("$JS.API.CONSUMER.CREATE.*." + d + "." + WireSubjects.subject(e.getValue()));
            pub.add("$JS.API.CONSUMER.INFO.*." + d);
            pub.add("$JS.API.CONSUMER.MSG.NEXT.*." + d);
            pub.add("$JS.ACK.*." + d + ".>");
        }
        return new Permissions(new ArrayList<>(pub), List.of(), List.of(inbox), List.of());
    }
}
