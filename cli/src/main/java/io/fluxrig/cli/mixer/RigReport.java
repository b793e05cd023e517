package io.fluxrig.cli.mixer;

import io.fluxrig.cli.rig.Artifact;
import io.fluxrig.cli.rig.Plan;
import io.fluxrig.snake.api.LogText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code plan} and {@code apply} show a {@link Plan}: one block per rack (a line per file:
 * {@code +} install, {@code ~} update or apply, {@code =} in place) with its pre-flight results,
 * or the same as JSON for scripts. The text is documented in cli/README.md. Stateless.
 */
final class RigReport {
    /**
     * One bundle's pre-flight on one rack.
     *
     * @param rack the rack
     * @param bundle the bundle
     * @param state done, refused, failed, or {@code not run}
     * @param detail the rack's answer, or why it did not run
     */
    record Preflight(String rack, Artifact bundle, String state, String detail) {
        boolean ok() {
            return "done".equals(state);
        }
    }

    private RigReport() {
    }

    static void human(PrintStream out, String command, Plan plan, List<Preflight> preflights) {
        long racks = plan.racks().stream().filter(r -> r.changeCount() > 0).count();
        out.println(command + ": " + plan.rig().file() + ": " + plan.changeCount() + " change(s) on " + racks + " of "
                + plan.racks().size() + " rack(s)");
        for (Plan.RackPlan r : plan.racks()) {
            out.println(r.rack() + "  (" + r.entry().label() + ", " + r.state() + ")");
            for (Plan.Change c : r.changes()) {
                Artifact a = c.artifact();
                String mark = switch (c.action()) {
                    case Plan.INSTALL -> "+";
                    case Plan.SAME -> "=";
                    default -> "~";
                };
                String now = c.now() == null ? "" : Artifact.PATCH.equals(a.kind())
                        ? " (runs " + c.now().substring(0, Math.min(c.now().length(), 19)) + ")" : " (runs " + c.now() + ")";
                out.printf("  %s %-7s %s %s from %s%s%n", mark, c.action(), a.kind(), a.describe(), a.fileName(),
                        Plan.SAME.equals(c.action()) ? "" : now);
            }
            for (Preflight p : preflights) {
                if (p.rack().equals(r.rack())) {
                    out.println("  pre-flight " + p.bundle().name() + " " + p.bundle().version() + ": " + p.state()
                            + (p.detail() == null || p.detail().isEmpty() ? "" : ": " + LogText.escape(p.detail().replaceAll("\\s*\\R\\s*", "; "))));
                }
            }
        }
    }

    static Map<String, Object> json(Plan plan, List<Preflight> preflights) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rig", plan.rig().file().toString());
        out.put("changes", plan.changeCount());
        List<Object> racks = new ArrayList<>();
        for (Plan.RackPlan r : plan.racks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rack", r.rack());
            m.put("entry", r.entry().index());
            m.put("select", r.entry().select());
            m.put("state", r.state());
            List<Object> changes = new ArrayList<>();
            for (Plan.Change c : r.changes()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("kind", c.artifact().kind());
                x.put("name", c.artifact().name());
                x.put("version", c.artifact().version());
                x.put("file", c.artifact().file().toString());
                x.put("digest", c.artifact().digest());
                x.put("signed", c.artifact().release() != null);
                x.put("action", c.action());
                x.put("now", c.now());
                changes.add(x);
            }
            m.put("changes", changes);
            List<Object> pre = new ArrayList<>();
            for (Preflight p : preflights) {
                if (p.rack().equals(r.rack())) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("bundle", p.bundle().name());
                    x.put("version", p.bundle().version());
                    x.put("state", p.state());
                    x.put("detail", p.detail());
                    pre.add(x);
                }
            }
            m.put("preflight", pre);
            racks.add(m);
        }
        out.put("racks", racks);
        return out;
    }
}
