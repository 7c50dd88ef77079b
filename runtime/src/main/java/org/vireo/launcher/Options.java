package org.vireo.launcher;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The launcher's command line.
 *
 * @param data the data folder (inventory, configuration, framework cache)
 * @param deploy the folder FileInstall watches
 * @param commands what to run instead of the interactive shell, in order: each entry is either
 *        inline commands ({@code -c}) or a script file ({@code --script}); empty for the prompt
 * @param help whether usage was asked for
 */
record Options(Path data, Path deploy, List<Source> commands, boolean help) {
    static final String USAGE = """
            usage: vireo [--data DIR] [--deploy DIR] [-c "CMD; CMD"]... [--script FILE]...
              --data DIR      data folder: VMs, hosts, configuration, framework cache
                              (default: data/ beside the distribution, runtime/data with bin/vireo)
              --deploy DIR    folder watched for bundles and .cfg files (default: deploy/ likewise)
              -c "CMDS"       run commands separated by ';' or newlines, then exit
              --script FILE   run the commands of FILE ('-' for standard input), then exit
            Without -c or --script, the interactive Gogo shell starts. Exit status: 0 when every
            command succeeded, 1 when one failed (the rest are skipped), 2 for a bad command line.
            Logging: java -Dvireo.log.level=error|warn|info|debug (default warn).""";

    /** One unit of non-interactive input. */
    record Source(String name, String text, Path file) {
    }

    /**
     * @param args the command line
     * @param home the folder that holds the default {@code data} and {@code deploy} folders
     * @return the options
     * @throws IllegalArgumentException naming the offending argument
     */
    static Options parse(String[] args, Path home) {
        Path data = home.resolve("data");
        Path deploy = home.resolve("deploy");
        List<Source> commands = new ArrayList<>();
        boolean help = false;
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.pop();
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                rest.push(arg.substring(eq + 1));
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "--data" -> data = Path.of(value(rest, arg));
                case "--deploy" -> deploy = Path.of(value(rest, arg));
                case "-c", "--command" -> commands.add(new Source("-c", value(rest, arg), null));
                case "--script" -> {
                    String file = value(rest, arg);
                    commands.add(new Source(file, null, file.equals("-") ? null : Path.of(file)));
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new Options(data.toAbsolutePath().normalize(), deploy.toAbsolutePath().normalize(),
                List.copyOf(commands), help);
    }

    private static String value(Deque<String> rest, String option) {
        if (rest.isEmpty() || rest.peek().isEmpty()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return rest.pop();
    }

    /** @return whether the launcher runs commands and exits instead of showing the prompt */
    boolean scripted() {
        return !commands.isEmpty();
    }
}
