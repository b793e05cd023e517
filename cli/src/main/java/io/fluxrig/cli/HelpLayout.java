package io.fluxrig.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One help layout for every command: {@code usage: fluxrig ...} first, then the description,
 * arguments and options; a group lists every command below it by its full name
 * ({@code msg encode}, {@code wire replay}), so {@code fluxrig --help} shows the whole tree.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    static void apply(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().synopsisHeading("usage: ").descriptionHeading("%n").parameterListHeading("%nArguments:%n")
                .optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n").abbreviateSynopsis(false)
                .sortOptions(false);
        String[] d = spec.usageMessage().description();
        if (d.length > 1 && !d[1].isEmpty()) { // a blank line between the one-line summary and the details
            String[] spaced = new String[d.length + 1];
            spaced[0] = d[0];
            spaced[1] = "";
            System.arraycopy(d, 1, spaced, 2, d.length - 1);
            spec.usageMessage().description(spaced);
        }
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commandList(spec));
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub);
        }
    }

    private static String commandList(CommandSpec group) {
        List<String[]> rows = new ArrayList<>();
        collect(group, group.root().name().length() + 1, rows);
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(String.format("  %-" + width + "s  %s%n", r[0], r[1]));
        }
        return sb.toString();
    }

    private static void collect(CommandSpec group, int cut, List<String[]> rows) {
        for (CommandLine sub : new java.util.LinkedHashSet<>(group.subcommands().values())) {
            CommandSpec s = sub.getCommandSpec();
            String[] description = s.usageMessage().description();
            rows.add(new String[] {s.qualifiedName().substring(cut), description.length == 0 ? "" : description[0]});
            collect(s, cut, rows);
        }
    }
}
