package org.vireo.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.vireo.itests.RuntimeProcess.outputOf;
import static org.vireo.itests.RuntimeProcess.outputsOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.itests.RuntimeProcess.Run;

/**
 * A real guest under the built distribution, driven as a user drives it: {@code host:add ...
 * --hypervisor qemu}, {@code vm:create}, {@code vm:start}, then through the shell the guest's
 * console and its CPU and memory figures as read back from its cgroup, {@code /proc}, QEMU and
 * the guest; a CPU limit and memory reservations that take effect on the running guest; a
 * runtime killed with SIGKILL whose successor re-attaches the guest through its QMP socket; a
 * stop that leaves no QEMU behind.
 * <p>
 * The guest (256 MiB, one vCPU burning all it gets, a reservation of 160 MiB) runs on a host
 * declared with 512 MiB, half of which the hosted type keeps for itself, so the guest's memory
 * puts the host under pressure: the reclaim policy inflates its balloon, never beyond its
 * reservation, and once {@code mem:set} reserves all its memory the balloon gives everything
 * back. The shell has no command that sets a balloon directly: the reclaim policy drives it, and
 * reservations bound it.
 * <p>
 * The guest is built by {@code guest/build.sh}, which installs QEMU where it can; the test is
 * skipped only where QEMU cannot be installed. It takes about a minute: one boot, four runtimes.
 */
class RuntimeQemuIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "it-qemu";
    private static final String VM = "it-guest";
    private static final long CORE_MHZ = 2000;
    private static final long LIMIT_MHZ = 600;
    private static final double TOLERANCE = 0.15;
    private static final String INFO = "vm:info --json " + VM;
    private static final String QOS = "qos:show " + HOST + " --json";
    private static final String MEM = "mem:show " + HOST + " --json";
    private static final Pattern BEAT = Pattern.compile("(?m)^HB t=(\\d+) iters=\\d+ rate=([0-9.]+)M .*\\bmemTotalKiB=(\\d+)");
    private static final Path KSM = Path.of("/sys/kernel/mm/ksm");
    private static final Pattern BANNER = Pattern.compile("(?m)^VIREO-GUEST READY .*\\bmemTotalKiB=(\\d+)");

    private static Path distribution;
    private static Path guestDirectory;

    @TempDir
    Path work;

    private RuntimeProcess runtime;
    private Process running;
    private String hostDetail = "";
    private Path cgroup;
    private final StringBuilder figures = new StringBuilder();
    private final Map<Path, String> ksmFound = new LinkedHashMap<>();
    private boolean finished;

    /** A heartbeat of the guest's workload: seconds since it started, loop rate (millions/s), the guest's MemTotal. */
    private record Beat(long t, double rate, long memTotalKiB) {
    }

    @BeforeAll
    static void buildGuest() throws Exception {
        distribution = RuntimeProcess.distribution();
        guestDirectory = Path.of(System.getProperty("vireo.guest.dir", System.getProperty("user.home") + "/.cache/vireo-guest"));
        String script = System.getProperty("vireo.guest.build", "../guest/build.sh");
        Path log = Files.createTempFile("vireo-guest-build", ".log");
        int rc = -1;
        String problem = "";
        try {
            Process build = new ProcessBuilder("bash", script, guestDirectory.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (build.waitFor(30, TimeUnit.MINUTES)) {
                rc = build.exitValue();
            } else {
                build.destroyForcibly();
                problem = " | did not end within 30 minutes";
            }
        } catch (IOException e) {
            problem = " | cannot run " + script + ": " + e.getMessage();
        }
        String output = Files.readString(log, StandardCharsets.ISO_8859_1) + problem;
        Files.deleteIfExists(log);
        if (rc != 0) {
            boolean qemu = new ProcessBuilder("sh", "-c", "command -v qemu-system-x86_64").start().waitFor() == 0;
            Assumptions.assumeTrue(qemu, () -> "QEMU is not installed and guest/build.sh could not install it (not root,"
                    + " or no Debian packages reachable), so no real guest can run; build.sh said: " + tail(output, 6));
            fail("guest/build.sh failed although QEMU is installed: " + tail(output, 12));
        }
    }

    @BeforeEach
    void runtimeWithTheGuest() {
        runtime = new RuntimeProcess(distribution, work, "-Dvireo.guest.dir=" + guestDirectory);
        for (String setting : List.of("run", "pages_to_scan", "sleep_millisecs")) {
            Path file = KSM.resolve(setting);
            if (Files.isReadable(file)) {
                ksmFound.put(file, read(file).trim());
            }
        }
    }

    /**
     * After a failure: no runtime and no QEMU of this test outlives it, and KSM (host-wide, which
     * the killed runtime may have switched on for page sharing) is set back as it was found.
     */
    @AfterEach
    void nothingLeftRunning() throws Exception {
        if (running != null && running.isAlive()) {
            RuntimeProcess.kill(running);
        }
        for (ProcessHandle qemu : qemusMentioning(work)) {
            qemu.destroyForcibly();
            qemu.onExit().get(30, TimeUnit.SECONDS);
        }
        if (!finished) {
            for (Map.Entry<Path, String> found : ksmFound.entrySet()) {
                if (!read(found.getKey()).trim().equals(found.getValue())) {
                    Files.writeString(found.getKey(), found.getValue());
                }
            }
        }
    }

    @Test
    void aRealGuestFollowsTheShellAndOutlivesAKilledRuntime() throws Exception {
        Guest guest = defineAndStart();
        long killedAt = showLimitAndReclaimThenKill(guest);
        reattachAndGiveTheMemoryBack(guest, killedAt);
        stopLeavesNothingBehind(guest);
        finished = true;
        System.out.println("RuntimeQemuIT: " + figures);
    }

    /** The guest's QEMU process, its directory and its MemTotal with nothing ballooned. */
    private record Guest(long pid, Path directory, long fullMemTotalKiB) {
        Path console() {
            return directory.resolve("console.log");
        }
    }

    /** Defines and starts the guest; that runtime exits once QEMU runs, and the guest boots on its own. */
    private Guest defineAndStart() throws Exception {
        Run run = runtime.run("-c", String.join("; ",
                "host:add " + HOST + " --cpus 2 --mhz " + CORE_MHZ + " --mem 512M --type hosted --hypervisor qemu",
                "vm:create " + VM + " --vcpus 1 --mem 256M --host " + HOST + " --workload batch --mem-reservation 160M",
                "vm:start " + VM,
                INFO));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(outputOf(run.out(), "vm:start " + VM).startsWith(VM + " STARTING on " + HOST), run.out());
        Path directory = Path.of(json(run.out(), INFO).get("directory").asText());
        long pid = Long.parseLong(Files.readString(directory.resolve("qemu.pid")).trim());
        Path console = directory.resolve("console.log");
        String booted = await("the guest's banner and a heartbeat in " + console, () -> {
            String text = read(console);
            return BANNER.matcher(text).find() && !beats(text).isEmpty() ? text : null;
        });
        Matcher banner = BANNER.matcher(booted);
        assertTrue(banner.find());
        return new Guest(pid, directory, Long.parseLong(banner.group(1)));
    }

    /**
     * A runtime re-attaches the running guest, shows its console and figures while the host's
     * memory pressure inflates the guest's balloon, limits its CPU, and is killed with SIGKILL.
     *
     * @return the guest's heartbeat count at the kill
     */
    private long showLimitAndReclaimThenKill(Guest guest) throws Exception {
        String limit = "qos:set " + VM + " --limit " + LIMIT_MHZ;
        running = runtime.start("-c", String.join("; ",
                "vm:console " + VM, INFO, "host:info --json " + HOST,
                "sleep 3", QOS, MEM, "sleep 1", QOS, MEM, "sleep 1", QOS, MEM,
                limit,
                "sleep 3", QOS, MEM, "sleep 1", QOS, MEM, "sleep 1", QOS, MEM, "sleep 1", QOS, MEM,
                INFO,
                "sleep 600"));
        runtime.awaitEcho(running, limit);
        List<Beat> unlimitedBeats = beats(read(guest.console()));
        String out = runtime.awaitEcho(running, "sleep 600").out();
        List<JsonNode> memory = memory(outputsOf(out, MEM));
        awaitBeat(guest, "the guest's MemTotal below " + guest.fullMemTotalKiB() + " KiB: its balloon inflated (mem:show said "
                + memory + ")", b -> b.memTotalKiB() < guest.fullMemTotalKiB());
        RuntimeProcess.kill(running);
        assertTrue(alive(guest.pid()), "QEMU outlives the killed runtime");
        List<Beat> beats = beats(read(guest.console()));

        // re-attached after the first runtime's clean exit: the same process, its console
        String console = outputOf(out, "vm:console " + VM);
        assertTrue(console.contains("VIREO-GUEST READY") && console.contains("HB t="), "vm:console: " + console);
        assertRunning(json(out, INFO), guest);
        hostDetail = json(out, "host:info --json " + HOST).path("live").path("detail").asText();

        // CPU: used MHz read back from the cgroup, then about the limit; the guest's own loop slows down as much
        int limited = out.indexOf("vireo> " + limit + "\n");
        List<Double> before = usedMhz(outputsOf(out.substring(0, limited), QOS));
        List<Double> after = usedMhz(outputsOf(out.substring(limited), QOS));
        assertEquals(List.of(3, 4), List.of(before.size(), after.size()), out);
        assertTrue(before.stream().allMatch(mhz -> mhz > 0), "a burning guest uses CPU: " + before);
        assertTrue(mean(before) > LIMIT_MHZ * 1.25, "unlimited, the guest uses well above " + LIMIT_MHZ + " MHz: "
                + before + " (is the machine too busy for this test?)");
        assertTrue(outputOf(out, limit).contains("CPU limit " + LIMIT_MHZ + " MHz"), out);
        assertAboutTheLimit(after);
        String detail = json(out.substring(limited), INFO).get("detail").asText();
        String quota = "quota " + LIMIT_MHZ * 100_000 / CORE_MHZ + "/100000"; // of a 100 ms period, in µs
        assertTrue(detail.contains(quota), "the cgroup's CPU " + quota + ": " + detail);
        Matcher group = Pattern.compile("cgroup (/\\S+):").matcher(detail);
        cgroup = group.find() ? Path.of(group.group(1)) : null;
        double rateBefore = mean(rates(unlimitedBeats.subList(Math.max(0, unlimitedBeats.size() - 3), unlimitedBeats.size())));
        long limitedFrom = last(unlimitedBeats).t() + 3; // the limit applies from the next interval
        double rateAfter = mean(rates(beats.stream().filter(b -> b.t() > limitedFrom).toList()));
        assertTrue(rateAfter / rateBefore <= mean(after) / mean(before) + TOLERANCE, "the guest's loop rate "
                + rateBefore + "M/s -> " + rateAfter + "M/s, its CPU " + mean(before) + " -> " + mean(after) + " MHz");

        // memory: figures read back from /proc and QEMU; under pressure the balloon takes memory
        // from the guest, never beyond its reservation
        assertEquals(7, memory.size(), out);
        for (JsonNode m : memory) {
            JsonNode vm = vm(m);
            assertEquals(512, m.get("totalMiB").asLong(), m.toString());
            assertEquals(256, vm.get("configuredMiB").asLong(), m.toString());
            assertEquals(160, vm.get("reservedMiB").asLong(), m.toString());
            assertTrue(vm.get("residentMiB").asLong() > 0, "QEMU's resident memory: " + m);
        }
        long mostBallooned = memory.stream().mapToLong(m -> vm(m).get("balloonedMiB").asLong()).max().orElse(0);
        assertTrue(mostBallooned > 0, "mem:show shows the balloon inflated: " + memory);
        long leastMemTotalKiB = beats.stream().mapToLong(Beat::memTotalKiB).min().orElseThrow();
        assertTrue(leastMemTotalKiB >= guest.fullMemTotalKiB() - (256 - 160) * 1024, "the balloon leaves the guest its "
                + "reservation: MemTotal " + leastMemTotalKiB + " KiB of " + guest.fullMemTotalKiB());

        figures.append(String.format("used MHz %s unlimited, %s limited to %d; guest loop %.1f -> %.1f M/s; up to %d MiB"
                + " ballooned, guest MemTotal down to %d of %d KiB", before, after, LIMIT_MHZ, rateBefore, rateAfter,
                mostBallooned, leastMemTotalKiB, guest.fullMemTotalKiB()));
        return last(beats).t();
    }

    /**
     * The guest ran on without a runtime; the next runtime re-attaches it through its QMP socket,
     * still limits it, and raises its reservation to all its memory: the balloon deflates.
     * That runtime then stops on SIGTERM, an orderly exit that lets go of the guest.
     */
    private void reattachAndGiveTheMemoryBack(Guest guest, long killedAt) throws Exception {
        String raised = "mem:set " + VM + " --reservation 256M";
        running = runtime.start("-c", String.join("; ",
                INFO, "events --json", "vm:console " + VM + " --lines 3",
                "sleep 3", QOS, "sleep 1", QOS,
                raised,
                "sleep 600"));
        runtime.awaitEcho(running, raised);
        long raisedAt = last(beats(read(guest.console()))).t();
        String out = runtime.awaitEcho(running, "sleep 600").out();
        awaitBeat(guest, "the guest's MemTotal back at " + guest.fullMemTotalKiB() + " KiB after its reservation was raised",
                b -> b.t() > raisedAt && b.memTotalKiB() == guest.fullMemTotalKiB());
        running.destroy();
        assertTrue(running.waitFor(RuntimeProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the runtime stops on SIGTERM");
        assertTrue(alive(guest.pid()), "QEMU outlives the runtime's orderly exit");

        assertRunning(json(out, INFO), guest);
        String reattached = "VM '" + VM + "' is RUNNING on host '" + HOST + "', as its hypervisor reports on attaching";
        assertTrue(stream(json(out, "events --json")).anyMatch(e -> e.get("message").asText().equals(reattached)),
                "an event says \"" + reattached + "\": " + outputOf(out, "events --json"));
        String through = "re-attached to QEMU pid " + guest.pid() + " through ";
        assertTrue(stream(json(out, "events --json")).anyMatch(e -> e.get("message").asText().contains(through)),
                "an event says how: \"" + through + "...\": " + outputOf(out, "events --json"));
        List<Beat> shown = beats(outputOf(out, "vm:console " + VM + " --lines 3"));
        assertFalse(shown.isEmpty(), out);
        assertTrue(last(shown).t() > killedAt, "the console kept growing: heartbeat t=" + killedAt + " at the kill, then "
                + shown);
        List<Double> limited = usedMhz(outputsOf(out, QOS));
        assertAboutTheLimit(limited);
        assertTrue(outputOf(out, raised).contains("memory reservation 256M of 256M"), out);
        figures.append("; after the re-attach ").append(limited).append(" MHz");
    }

    /** A stop through the shell powers the guest off and leaves no QEMU, no cgroup, no index entry. */
    private void stopLeavesNothingBehind(Guest guest) throws Exception {
        Run run = runtime.run("-c", String.join("; ",
                INFO, MEM, "vm:stop " + VM, "vm:console " + VM + " --lines 5", "vm:destroy " + VM, "host:remove " + HOST));
        assertEquals(0, run.exit(), run.toString());
        assertRunning(json(run.out(), INFO), guest);
        JsonNode memory = vm(json(run.out(), MEM));
        assertEquals(256, memory.get("reservedMiB").asLong(), memory.toString());
        assertEquals(0, memory.get("balloonedMiB").asLong(), memory.toString());
        assertTrue(outputOf(run.out(), "vm:stop " + VM).startsWith(VM + " STOPPED on " + HOST), run.out());
        assertTrue(outputOf(run.out(), "vm:console " + VM + " --lines 5").contains("VIREO-GUEST POWEROFF"),
                "the guest powered off: " + run.out());
        await("QEMU pid " + guest.pid() + " gone", () -> alive(guest.pid()) ? null : true);
        assertEquals(List.of(), qemusMentioning(work), "no QEMU process mentions " + work);
        assertFalse(Files.exists(guest.directory()), "vm:destroy removed " + guest.directory());
        assertFalse(Files.exists(runtime.data().resolve("qemu-running").resolve(HOST).resolve(VM)), "no re-attach index entry");
        if (cgroup != null) {
            assertFalse(Files.exists(cgroup), "the VM's cgroup " + cgroup + " is removed");
        }
    }

    private static void assertRunning(JsonNode info, Guest guest) {
        assertEquals("RUNNING", info.get("state").asText(), info.toString());
        assertTrue(info.get("detail").asText().startsWith("pid " + guest.pid() + ","), "the same QEMU process: " + info);
    }

    /** Each sample at most the limit plus the tolerance, and on average within the tolerance of it. */
    private void assertAboutTheLimit(List<Double> usedMhz) {
        assertFalse(usedMhz.isEmpty());
        assertTrue(usedMhz.stream().allMatch(mhz -> mhz <= LIMIT_MHZ * (1 + TOLERANCE)), "no sample above " + LIMIT_MHZ
                + " MHz + " + (int) (TOLERANCE * 100) + " %: " + usedMhz + "; host: " + hostDetail);
        double mean = mean(usedMhz);
        assertTrue(Math.abs(mean - LIMIT_MHZ) <= LIMIT_MHZ * TOLERANCE, "limited to " + LIMIT_MHZ + " MHz, the guest uses "
                + mean + " MHz on average: " + usedMhz + "; host: " + hostDetail);
    }

    /** @return the guest's used MHz in each {@code qos:show --json} output */
    private static List<Double> usedMhz(List<String> qosOutputs) throws IOException {
        List<Double> used = new ArrayList<>();
        for (String output : qosOutputs) {
            used.add(vm(JSON.readTree(output)).get("usedMhz").asDouble());
        }
        return used;
    }

    /** @return the guest's entry in a report's {@code vms} */
    private static JsonNode vm(JsonNode report) {
        return stream(report.get("vms")).filter(v -> VM.equals(v.get("vm").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + VM + " in " + report));
    }

    private static JsonNode json(String out, String command) throws IOException {
        return JSON.readTree(outputOf(out, command));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    private static List<Beat> beats(String console) {
        List<Beat> beats = new ArrayList<>();
        Matcher m = BEAT.matcher(console);
        while (m.find()) {
            beats.add(new Beat(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3))));
        }
        return beats;
    }

    private static Beat last(List<Beat> beats) {
        assertFalse(beats.isEmpty(), "no heartbeat");
        return beats.get(beats.size() - 1);
    }

    private static List<Double> rates(List<Beat> beats) {
        assertFalse(beats.isEmpty(), "no heartbeat");
        return beats.stream().map(Beat::rate).toList();
    }

    private static List<JsonNode> memory(List<String> memOutputs) throws IOException {
        List<JsonNode> reports = new ArrayList<>();
        for (String output : memOutputs) {
            reports.add(JSON.readTree(output));
        }
        return reports;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Waits until the guest's console holds a heartbeat that passes the test. */
    private static void awaitBeat(Guest guest, String what, Predicate<Beat> test) throws InterruptedException {
        await(what, () -> beats(read(guest.console())).stream().anyMatch(test) ? true : null);
    }

    /** Polls until the probe answers non-null, at most {@link RuntimeProcess#TIMEOUT}. */
    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + RuntimeProcess.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        return fail("not within " + RuntimeProcess.TIMEOUT.toSeconds() + " s: " + what);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // a guest may print any byte
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the QEMU processes whose command line mentions the folder */
    private static List<ProcessHandle> qemusMentioning(Path folder) {
        return ProcessHandle.allProcesses().filter(p -> {
            String cmdline = read(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).replace('\0', ' ');
            return cmdline.contains("qemu-system") && cmdline.contains(folder.toString());
        }).toList();
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
