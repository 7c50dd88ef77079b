package org.vireo.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution run as people and scripts run it: {@code java -jar vireo-launcher.jar}
 * in a child process with its own data and deploy folders below a working folder, its standard
 * output and error written to files there (each start overwrites them).
 */
final class RuntimeProcess {
    /** How long one run may take, and how long a running one may take to reach a command. */
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path distribution;
    private final Path folder;
    private final List<String> javaOptions;

    /**
     * @param distribution the built distribution (see {@link #distribution()})
     * @param folder the working folder: {@code data/}, {@code deploy/}, {@code stdout}, {@code stderr}
     * @param javaOptions options for the child JVM, e.g. {@code -Dvireo.guest.dir=...}
     */
    RuntimeProcess(Path distribution, Path folder, String... javaOptions) {
        this.distribution = distribution;
        this.folder = folder;
        this.javaOptions = List.of(javaOptions);
    }

    /** @return the distribution the build made, as the system property {@code vireo.itest.distribution} names it */
    static Path distribution() {
        Path dist = Path.of(System.getProperty("vireo.itest.distribution", "../runtime/target/vireo"));
        assertTrue(Files.isRegularFile(dist.resolve("vireo-launcher.jar")),
                "no distribution in " + dist.toAbsolutePath() + ": build runtime first (mvn verify from the root)");
        return dist;
    }

    /** @return the runtime's data folder ({@code --data}) */
    Path data() {
        return folder.resolve("data");
    }

    /** What a run printed, and its exit status ({@code -1} while it runs). */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the launcher with the arguments and waits for it to end, at most {@link #TIMEOUT}. */
    Run run(String... args) throws Exception {
        Process process = start(args);
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("vireo " + String.join(" ", args) + " did not end within " + TIMEOUT.toSeconds() + " s: " + read(process));
        }
        return read(process);
    }

    /** Starts the launcher with the arguments, without waiting. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", distribution.resolve("vireo-launcher.jar").toString(),
                "--data", data().toString(), "--deploy", folder.resolve("deploy").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(folder.resolve("stdout").toFile())
                .redirectError(folder.resolve("stderr").toFile())
                .start();
    }

    /** @return what the last process started has printed so far */
    Run read(Process process) throws IOException {
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new Run(exit, Files.readString(folder.resolve("stdout")), Files.readString(folder.resolve("stderr")));
    }

    /**
     * Waits until a running script has echoed a command (it then runs it), failing if the
     * process ends first or {@link #TIMEOUT} passes.
     *
     * @return what it has printed by then
     */
    Run awaitEcho(Process process, String command) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Run run = read(process);
            if (run.out().contains("vireo> " + command + "\n")) {
                return run;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return fail("the runtime did not reach '" + command + "': " + read(process));
            }
            Thread.sleep(50);
        }
    }

    /** Kills the process with SIGKILL (no shutdown hook, no orderly stop) and waits for it to be gone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return what {@code command} printed: the text after its first echo, up to the next echo */
    static String outputOf(String out, String command) {
        List<String> outputs = outputsOf(out, command);
        assertTrue(!outputs.isEmpty(), "'" + command + "' was run: " + out);
        return outputs.get(0);
    }

    /** @return what each run of {@code command} printed, in order: the text after each echo, up to the next echo */
    static List<String> outputsOf(String out, String command) {
        String echo = "vireo> " + command + "\n";
        List<String> outputs = new ArrayList<>();
        for (int at = out.indexOf(echo); at >= 0; at = out.indexOf(echo, at + 1)) {
            int start = at + echo.length();
            int end = out.indexOf("\nvireo> ", start - 1); // start - 1: a command that printed nothing
            outputs.add(end < 0 ? out.substring(start) : out.substring(start, end + 1));
        }
        return outputs;
    }
}
