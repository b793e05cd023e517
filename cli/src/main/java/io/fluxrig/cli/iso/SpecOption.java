package io.fluxrig.cli.iso;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.MessageSpec;
import io.fluxrig.iso8583.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Parses the shared options of the iso commands: {@code --spec D} (a built-in name or a spec file) and flags. */
final class SpecOption {
    private SpecOption() {
    }

    /** The parsed options, or a usage error to print. */
    record Parsed(MessageSpec spec, boolean unmasked, String error) {
    }

    static Parsed parse(List<String> args, boolean allowUnmasked) {
        String spec = Dialects.ISO87ASCII;
        boolean unmasked = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--spec") && i + 1 < args.size()) {
                spec = args.get(++i);
            } else if (a.equals("--unmasked") && allowUnmasked) {
                unmasked = true;
            } else {
                return new Parsed(null, false, "unknown option " + a);
            }
        }
        if (Dialects.builtInNames().contains(spec)) {
            return new Parsed(Dialects.builtIn(spec), unmasked, null);
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            return new Parsed(null, false, "--spec " + spec + ": neither a built-in dialect (" + String.join(", ", Dialects.builtInNames())
                    + ") nor a spec file");
        }
        try {
            return new Parsed(Dialects.load(file), unmasked, null);
        } catch (IOException | SpecException e) {
            return new Parsed(null, false, e.getMessage());
        }
    }
}
