package io.fluxrig.cli.iso;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.MessageSpec;
import io.fluxrig.iso8583.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --spec D} option the iso commands share (a mixin): a built-in dialect name or a spec file. */
final class SpecOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--spec", paramLabel = "D", defaultValue = Dialects.ISO87ASCII,
            description = "built-in dialect (iso87ascii, iso87binary, iso93ascii; default ${DEFAULT-VALUE}) or the path of a JSON/YAML spec file")
    String spec;

    /** @return the message spec, or a usage error naming the option */
    MessageSpec resolve() {
        return resolve("--spec", spec, mixee);
    }

    static MessageSpec resolve(String option, String spec, CommandSpec command) {
        if (Dialects.builtInNames().contains(spec)) {
            return Dialects.builtIn(spec);
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(command.commandLine(), option + " " + spec + ": neither a built-in dialect ("
                    + String.join(", ", Dialects.builtInNames()) + ") nor a spec file");
        }
        try {
            return Dialects.load(file);
        } catch (IOException | SpecException e) {
            throw new ParameterException(command.commandLine(), option + " " + spec + ": " + e.getMessage());
        }
    }
}
