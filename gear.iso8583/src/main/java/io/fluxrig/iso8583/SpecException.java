package io.fluxrig.iso8583;

import java.util.List;

/** A spec was refused; {@link #problems()} lists every problem found, not only the first. */
public class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param source the file or resource the spec came from
     * @param problems every problem, each naming where it is (e.g. {@code field 35: ...})
     */
    public SpecException(String source, List<String> problems) {
        super("spec " + source + " refused, " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem */
    public List<String> problems() {
        return problems;
    }
}
