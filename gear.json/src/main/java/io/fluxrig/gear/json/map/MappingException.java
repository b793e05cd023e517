package io.fluxrig.gear.json.map;

import java.util.List;

/** A mapping document that was refused, with every problem found in it, each naming where. */
public final class MappingException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param name the mapping (file or built-in name)
     * @param problems every problem, each naming its place ({@code rules[2] (/amount/value): ...})
     */
    public MappingException(String name, List<String> problems) {
        super("mapping " + name + " refused, " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found */
    public List<String> problems() {
        return problems;
    }
}
