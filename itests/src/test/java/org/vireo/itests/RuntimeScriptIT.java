package org.vireo.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vireo.itests.RuntimeProcess.outputOf;
import static org.vireo.itests.RuntimeProcess.outputsOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.itests.RuntimeProcess.Run;

/**
 * The built distribution, run as people and scripts run it: {@code java -jar vireo-launcher.jar}
 * in a child process with its own data folder.
 */
class RuntimeScriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "host:add h1 --cpus 16 --mhz 2400 --mem 64G --type hybrid";
    private static final List<String> VMS = List.of(
            "vm:create web1 --vcpus 2 --mem 2G --cpu-limit 3000 --cpu-reservation 500 --cpu-shares 2000"
                    + " --mem-reservation 512M --mem-shares 1500 --disk 10G --disk name=data,size=20G,format=raw"
                    + " --nic lan --workload web --image alpine-3",
            "vm:create db1 --vcpus 4 --mem 8G --host h1 --workload custom:cpu=60,ws=2G,dirty=40",
            "vm:create idle1 --vcpus 1 --mem 512M");

    private static Path distribution;

    @TempDir
    Path data;

    private RuntimeProcess runtime;

    @BeforeAll
    static void findDistribution() {
        distribution = RuntimeProcess.distribution();
    }

    @BeforeEach
    void runtimeInTheTemporaryFolder() {
        runtime = new RuntimeProcess(distribution, data);
    }

    @Test
    void scriptOfGoodCommandsExitsZeroAndEchoesEachCommand() throws Exception {
        Path script = data.resolve("setup.gosh");
        List<String> lines = new ArrayList<>(List.of("# a host and three VMs", HOST));
        lines.addAll(VMS);
        lines.add("vm:start web1; vm:list --json");
        Files.write(script, lines);

        Run run = runtime.run("--script", script.toString());

        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.err(), "nothing on stderr");
        assertTrue(run.out().contains("vireo> " + HOST + "\n"), run.out());
        assertTrue(run.out().contains("vireo> vm:start web1\nweb1 "), run.out());
        JsonNode list = JSON.readTree(outputOf(run.out(), "vm:list --json"));
        assertEquals(3, list.size(), list.toString());
        JsonNode web1 = byName(list).get("web1");
        assertEquals(2, web1.get("vcpus").asInt());
        assertEquals(2048, web1.get("memoryMiB").asLong());
        assertEquals(3000, web1.get("cpuLimitMhz").asLong());
        assertEquals("h1", web1.get("host").asText());
        assertTrue(List.of("STARTING", "RUNNING").contains(web1.get("state").asText()), web1.toString());
        assertEquals("DEFINED", byName(list).get("db1").get("state").asText());
    }

    /**
     * The default runtime paces the simulation by the wall clock: a running VM's figures move
     * while nobody touches it. Two {@code vm:info} two seconds apart: a CPU-bound VM with 2 vCPUs
     * on an idle host adds about two seconds of its two cores (less the hybrid type's overhead)
     * to its CPU work; at least one interval's worth and at most five, whatever the machine's load.
     */
    @Test
    void inTheDefaultRuntimeVmFiguresChangeInRealTime() throws Exception {
        Run run = runtime.run("-c", HOST + "; vm:create rt1 --vcpus 2 --mem 1G --host h1 --workload batch; vm:start rt1; sleep 1;"
                + " vm:info --json rt1; sleep 2; vm:info --json rt1; sim:speed");

        assertEquals(0, run.exit(), run.toString());
        assertTrue(outputOf(run.out(), "sim:speed").contains("realtime"), run.out());
        List<String> infos = outputsOf(run.out(), "vm:info --json rt1");
        assertEquals(2, infos.size(), run.out());
        JsonNode before = JSON.readTree(infos.get(0));
        JsonNode after = JSON.readTree(infos.get(1));
        assertEquals("RUNNING", after.get("state").asText());
        assertTrue(after.get("cpuUsedMhz").asDouble() > 0, after.toString());
        double interval = 2 * 2400 * 0.8;
        double gained = after.get("cpuWork").asDouble() - before.get("cpuWork").asDouble();
        assertTrue(gained >= interval && gained <= 5 * 2 * 2400, "CPU work gained in 2 s of wall time: " + gained + " MHz·s");
    }

    @Test
    void badCommandStopsTheScriptWithExitOneAndNamesIt() throws Exception {
        Run run = runtime.run("-c", HOST + "; vm:start nosuch; vm:list");

        assertEquals(1, run.exit(), run.toString());
        String error = errorLine(run);
        assertTrue(error.startsWith("error: command 'vm:start nosuch' failed: "), run.err());
        assertTrue(error.substring("error: command 'vm:start nosuch'".length()).contains("nosuch"),
                "the message names the VM: " + error);
        assertTrue(run.out().contains("vireo> vm:start nosuch"), run.out());
        assertFalse(run.out().contains("vireo> vm:list"), "commands after the failure are skipped: " + run.out());
    }

    @Test
    void unknownCommandFailsWithGogosMessage() throws Exception {
        Run run = runtime.run("-c", "lb -s; vm:lsit");

        assertEquals(1, run.exit(), run.toString());
        assertEquals("error: command 'vm:lsit' failed: Command not found: vm:lsit", errorLine(run));
    }

    @Test
    void invalidValueIsRefusedAndChangesNothing() throws Exception {
        Run bad = runtime.run("-c", HOST + "; vm:create v1 --vcpus 0 --mem 1G");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(errorLine(bad).contains("vcpus"), "the message names the field: " + bad.err());

        Run list = runtime.run("-c", "vm:list --json");
        assertEquals(0, list.exit(), list.toString());
        assertEquals(0, JSON.readTree(outputOf(list.out(), "vm:list --json")).size(), list.out());
    }

    @Test
    void badCommandLineExitsTwoWithUsage() throws Exception {
        Run run = runtime.run("--no-such-option");

        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("unknown argument '--no-such-option'"), run.err());
        assertTrue(run.err().contains("usage: vireo"), run.err());
    }

    @Test
    void killedRuntimeRestartsWithEveryVmAndItsFullDefinition() throws Exception {
        List<String> setup = new ArrayList<>(List.of(HOST));
        setup.addAll(VMS);
        setup.add("vm:start web1");
        for (String vm : List.of("web1", "db1", "idle1")) {
            setup.add("vm:info --json " + vm);
        }
        setup.add("sleep 600");
        Path script = data.resolve("setup.gosh");
        Files.write(script, setup);

        Process running = runtime.start("--script", script.toString());
        try {
            runtime.awaitEcho(running, "sleep 600");
        } finally {
            RuntimeProcess.kill(running); // SIGKILL: no shutdown hook, no orderly stop
        }
        String before = runtime.read(running).out();

        Run after = runtime.run("-c", "vm:list --json; vm:info --json web1; vm:info --json db1; vm:info --json idle1");

        assertEquals(0, after.exit(), after.toString());
        assertEquals(3, JSON.readTree(outputOf(after.out(), "vm:list --json")).size(), after.out());
        for (String vm : List.of("web1", "db1", "idle1")) {
            JsonNode was = definition(JSON.readTree(outputOf(before, "vm:info --json " + vm)));
            JsonNode is = definition(JSON.readTree(outputOf(after.out(), "vm:info --json " + vm)));
            assertEquals(was, is, vm + "'s definition survives the kill");
        }
    }

    /** @return the fields of a vm:info document that describe the VM, not its live state */
    private static JsonNode definition(JsonNode info) {
        ObjectNode copy = info.deepCopy();
        for (String live : List.of("state", "live", "cpuDemandMhz", "cpuEntitledMhz", "cpuUsedMhz", "cpuReadyPercent",
                "cpuWork", "residentMiB", "sharedMiB", "balloonedMiB", "swappedMiB", "activeMiB",
                "residentByContentMiB", "io", "detail")) {
            copy.remove(live);
        }
        return copy;
    }

    private static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> map = new TreeMap<>();
        array.forEach(n -> map.put(n.get("name").asText(), n));
        return map;
    }

    /** @return the launcher's line about the failed command (stderr may also carry log lines) */
    private static String errorLine(Run run) {
        return run.err().lines().filter(l -> l.startsWith("error: command ")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'error: command' line: " + run));
    }
}
