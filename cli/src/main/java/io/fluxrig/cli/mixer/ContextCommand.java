package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Group;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code context}: the operator contexts ({@link Contexts}): add, use, show, list. */
@Command(name = "context", description = {"operator contexts: which Mixer the operator commands talk to, selected once",
        "A context names a Mixer's API address, its CA certificate and the file holding the operator token (as kubectl's "
                + "kubeconfig or the nats CLI's contexts do). After 'fluxrig context use NAME', token, racks, rack-info, "
                + "racks revoke and deploy need no --api or --data. Contexts live in $FLUXRIG_CONFIG/contexts "
                + "(default ~/.config/fluxrig/contexts), one NAME.properties each.",
        "Environment: FLUXRIG_CONFIG (the folder), FLUXRIG_CONTEXT (overrides the selected context for one call)."},
        subcommands = {ContextCommand.Add.class, ContextCommand.Use.class, ContextCommand.Show.class, ContextCommand.ListAll.class})
public final class ContextCommand extends Group {
    ContextCommand(Console console) {
        super(console);
    }

    /** {@code context add NAME --api URL (--data DIR | --ca FILE --token-file FILE) [--use]}. */
    @Command(name = "add", description = {"add (or replace) a context",
            "Names the Mixer's operator API and where its CA and operator token are: --data MIXER_DATA means "
                    + "MIXER_DATA/ca.crt and MIXER_DATA/operator.token (the files the Mixer writes); or give --ca and --token-file."})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the context's name (letters, digits, '_', '.', '-')")
        String name;
        @Option(names = "--api", paramLabel = "URL", required = true, description = "the Mixer's operator API, e.g. https://127.0.0.1:8443")
        String api;
        @Option(names = "--data", paramLabel = "DIR", description = "the Mixer's data folder (ca.crt and operator.token in it)")
        Path data;
        @Option(names = "--ca", paramLabel = "FILE", description = "the Mixer CA certificate (default DIR/ca.crt)")
        Path ca;
        @Option(names = "--token-file", paramLabel = "FILE", description = "the file holding the operator token (default DIR/operator.token)")
        Path tokenFile;
        @Option(names = "--use", description = "also select it")
        boolean use;
        @Spec
        CommandSpec spec;
        private final Console console;

        Add(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() throws IOException {
            if (!Contexts.NAME.matcher(name).matches()) {
                throw new ParameterException(spec.commandLine(), "NAME '" + name + "' is not a context name (letters, digits, '_', '.', '-')");
            }
            if (!api.startsWith("https://")) {
                throw new ParameterException(spec.commandLine(), "--api '" + api + "' must be an https:// URL");
            }
            Path caFile = ca != null ? ca : data != null ? data.resolve("ca.crt") : null;
            Path token = tokenFile != null ? tokenFile : data != null ? data.resolve("operator.token") : null;
            if (caFile == null || token == null) {
                throw new ParameterException(spec.commandLine(), (caFile == null ? "--ca" : "--token-file")
                        + " is missing: give --data MIXER_DATA, or both --ca FILE and --token-file FILE");
            }
            Contexts contexts = Contexts.from(console.env());
            contexts.write(new Contexts.Context(name, api.replaceAll("/+$", ""), caFile, token));
            if (use) {
                contexts.select(name);
            }
            console.out().println("context " + name + " saved in " + contexts.dir().resolve("contexts") + (use ? " and selected" : ""));
            return Exit.OK;
        }
    }

    /** {@code context use NAME}. */
    @Command(name = "use", description = {"select the context the operator commands use from now on"})
    static final class Use implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the context")
        String name;
        private final Console console;

        Use(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() throws IOException {
            Contexts.from(console.env()).select(name);
            console.out().println("using context " + name);
            return Exit.OK;
        }
    }

    /** {@code context show [NAME] [--json]}. */
    @Command(name = "show", description = {"show a context (default: the one in effect)"})
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "the context (default: $FLUXRIG_CONTEXT, else the selected one)")
        String name;
        @Option(names = "--json", description = "print one JSON object (for scripts)")
        boolean json;
        private final Console console;

        Show(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() throws IOException {
            Contexts contexts = Contexts.from(console.env());
            Optional<String> which = Optional.ofNullable(name).or(() -> Optional.ofNullable(console.env().get("FLUXRIG_CONTEXT")))
                    .or(() -> {
                        try {
                            return contexts.selected();
                        } catch (IOException e) {
                            return Optional.empty();
                        }
                    });
            if (which.isEmpty()) {
                console.err().println("fluxrig context show: no context selected (fluxrig context use NAME)");
                return Exit.FAILED;
            }
            Contexts.Context c = contexts.read(which.get());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("api", c.api());
            m.put("ca", c.ca().toString());
            m.put("tokenFile", c.tokenFile().toString());
            if (json) {
                console.out().println(Pretty.compact(m));
            } else {
                m.forEach((k, v) -> console.out().printf("%-10s %s%n", k + ":", v));
            }
            return Exit.OK;
        }
    }

    /** {@code context list [--json]}. */
    @Command(name = "list", description = {"list the contexts; the selected one is marked *"})
    static final class ListAll implements Callable<Integer> {
        @Option(names = "--json", description = "print a JSON array (for scripts)")
        boolean json;
        private final Console console;

        ListAll(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() throws IOException {
            Contexts contexts = Contexts.from(console.env());
            String selected = contexts.selected().orElse(null);
            List<Object> all = new ArrayList<>();
            for (Contexts.Context c : contexts.list().values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("api", c.api());
                m.put("selected", c.name().equals(selected));
                all.add(m);
                if (!json) {
                    console.out().printf("%s %-20s %s%n", c.name().equals(selected) ? "*" : " ", c.name(), c.api());
                }
            }
            if (json) {
                console.out().println(Pretty.compact(all));
            }
            return Exit.OK;
        }
    }
}
