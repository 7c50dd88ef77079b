package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.inventory.AdmissionException;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.inventory.QosService;
import org.vireo.api.inventory.VmCpuQos;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;

/**
 * CPU QoS on the simulated hypervisor, with its clock in batch pacing so that it moves only
 * with {@code sim:run}: the seed scenarios of limits, shares and reservations, admission
 * control, and every way of swapping the CPU policy (by name, by uninstalling the active
 * policy's bundle, by dropping a bundle into the watched deploy folder) while VMs run, which
 * keep their cumulative CPU work and go on adding to it.
 * <p>
 * Used MHz is measured as a VM's cumulative work over 10 simulated seconds, divided by 10, and
 * compared with the entitlement {@link QosService} reports from the active policy.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CpuQosIT extends SimTestSupport {
    private static final String RESERVATION_BUNDLE = "org.vireo.cpu.reservation";
    /** Used over 10 s may differ from the entitlement by this fraction. */
    private static final double TOLERANCE = 0.02;

    private QosService qos;

    /** The three CPU policies and the qos commands present, the reservation policy active. */
    @Before
    public void reservationPolicy() {
        qos = service(QosService.class);
        await("the three CPU policies", () -> List.of("reservation", "credit", "fair").stream()
                .allMatch(n -> policies.named(CpuQosPolicy.class, n).isPresent()));
        await("the qos commands", () -> commands("(osgi.command.scope=qos)"));
        policies.use(PolicyFamily.CPU, "reservation");
    }

    /** Seed: a VM limited to 2 GHz never gets more than 2 GHz, even alone on a host, whatever the policy. */
    @Test
    public void aLimitedVmNeverGetsMoreThanItsLimitOnAnIdleHost() {
        hosts.addHost(HostSpec.of("qa-limit", 8, 2400, 16 * 1024, HypervisorKind.HYBRID));
        create("capped", "qa-limit", 2, new CpuQos(2000L, 0, CpuQos.DEFAULT_SHARES), "batch");
        vms.start("capped");
        run("1s");

        for (String policy : List.of("reservation", "credit", "fair")) {
            policies.use(PolicyFamily.CPU, policy);
            run("1s");
            VmCpuQos row = row("qa-limit", "capped");
            assertEquals(policy, qos.cpu("qa-limit").policy());
            assertTrue(policy + ": wants far more than its limit: " + row, row.demandMhz() > 4000);
            assertTrue(policy + ": entitled to at most the limit: " + row, row.entitlementMhz() <= 2000 + 1e-6);
            double before = work("capped");
            for (int i = 0; i < 10; i++) {
                run("1s");
                double used = vms.vm("capped").live().cpu().usedMhz();
                assertTrue(policy + ": interval " + i + " used " + used + " MHz, above the 2000 MHz limit", used <= 2000 + 1e-6);
            }
            double used = (work("capped") - before) / 10;
            assertTrue(policy + ": used " + used + " MHz over 10 s, above the limit", used <= 2000 + 1e-6);
            assertWithin(policy + ": used over 10 s vs entitlement", row.entitlementMhz(), used);
        }
        assertWithin("the reservation policy grants exactly the limit", 2000, entitlementUnder("reservation", "qa-limit", "capped"));
    }

    /** Seed: on a contended host, shares 2000:1000 give CPU in the ratio 2:1. */
    @Test
    public void sharesDivideAContendedHostInTheirRatio() {
        hosts.addHost(HostSpec.of("qa-shares", 2, 2400, 16 * 1024, HypervisorKind.HYBRID));
        create("big", "qa-shares", 2, new CpuQos(null, 0, 2000), "batch");
        create("small", "qa-shares", 2, new CpuQos(null, 0, 1000), "batch");
        vms.start("big");
        vms.start("small");
        run("1s");

        Map<String, Double> used = usedOver10s("big", "small");

        CpuQosReport report = qos.cpu("qa-shares");
        assertTrue("contended: the VMs want more than the capacity: " + report,
                row(report, "big").demandMhz() + row(report, "small").demandMhz() > report.capacityMhz());
        assertWithin("big:small used", 2.0, used.get("big") / used.get("small"));
        assertWithin("big used vs entitlement", row(report, "big").entitlementMhz(), used.get("big"));
        assertWithin("small used vs entitlement", row(report, "small").entitlementMhz(), used.get("small"));
        assertWithin("work-conserving: the whole capacity is used", report.capacityMhz(), used.get("big") + used.get("small"));
    }

    /**
     * Seed: on a 3 GHz host, VM1 reserving 2 GHz and VM2 reserving nothing, both CPU-bound: VM1
     * gets 2 GHz and VM2 the rest; when VM1 only wants 1 GHz, VM2 gets all the rest. The host is
     * 1 core × 3000 MHz of the hybrid type, whose overheads leave less than 3000 MHz to guests:
     * "the rest" is computed from the capacity the report shows. Admission then refuses a
     * reservation that no longer fits, with the numbers, and changes nothing.
     */
    @Test
    public void reservationsAreFloorsAndAdmissionRefusesWhatNoLongerFits() throws Exception {
        hosts.addHost(HostSpec.of("qa-res", 1, 3000, 16 * 1024, HypervisorKind.HYBRID));
        create("vm1", "qa-res", 1, new CpuQos(null, 2000, CpuQos.DEFAULT_SHARES), "batch");
        create("vm2", "qa-res", 1, CpuQos.DEFAULT, "batch");
        vms.start("vm1");
        vms.start("vm2");
        run("1s");

        double capacity = qos.cpu("qa-res").capacityMhz();
        assertTrue("the hybrid type's overheads leave less than 3000 MHz but more than 2000: " + capacity,
                capacity > 2000 && capacity < 3000);
        Map<String, Double> used = usedOver10s("vm1", "vm2");
        assertWithin("vm1 gets its reservation", 2000, used.get("vm1"));
        assertWithin("vm2 gets the rest", capacity - 2000, used.get("vm2"));
        assertWithin("vm1's entitlement", 2000, row("qa-res", "vm1").entitlementMhz());
        assertWithin("vm2's entitlement", capacity - 2000, row("qa-res", "vm2").entitlementMhz());

        // admission: 1000 MHz more does not fit next to vm1's 2000
        create("vm3", "qa-res", 1, new CpuQos(null, 1000, CpuQos.DEFAULT_SHARES), "batch");
        AdmissionException refused = assertThrows(AdmissionException.class, () -> vms.start("vm3"));
        assertTrue(refused.getMessage(), refused.getMessage().startsWith("cannot start VM 'vm3' on host 'qa-res': "));
        assertTrue(refused.getMessage(), refused.getMessage().contains("1000 MHz"));
        assertNumbers(refused.getMessage(), capacity - 2000, capacity);
        assertEquals(VmState.DEFINED, vms.vm("vm3").state());
        AdmissionException resize = assertThrows(AdmissionException.class,
                () -> execute("qos:set vm2 --reservation 1000"));
        assertTrue(resize.getMessage(), resize.getMessage().startsWith("cannot change the CPU QoS of VM 'vm2' on host 'qa-res': "));
        assertNumbers(resize.getMessage(), capacity - 2000, capacity);
        assertEquals(CpuQos.DEFAULT, vms.vm("vm2").spec().cpu());
        assertEquals(CpuQos.DEFAULT, vms.vm("vm2").live().spec().cpu());
        run("1s");
        assertEquals(0, row("qa-res", "vm2").reservationMhz());
        assertEquals(List.of("vm1", "vm2"), qos.cpu("qa-res").vms().stream().map(VmCpuQos::vm).toList());

        // vm1 wanting only 1 GHz (a VM of the same reservation whose workload asks a third of its core)
        vms.stop("vm1", true);
        create("vm1-light", "qa-res", 1, new CpuQos(null, 2000, CpuQos.DEFAULT_SHARES), "custom:cpu=33.333333,peak=33.333333");
        vms.start("vm1-light");
        run("1s");
        used = usedOver10s("vm1-light", "vm2");
        assertWithin("vm1-light gets what it wants", 1000, used.get("vm1-light"));
        assertWithin("vm2 gets the rest", capacity - 1000, used.get("vm2"));
    }

    /**
     * Every way of swapping the CPU policy while VMs run: {@code policy:use cpu credit} (whose
     * warning about the reservation it ignores shows in {@code qos:show}), uninstalling the active
     * policy's bundle (the next policy takes over) and dropping the bundle into the watched
     * deploy folder (it is installed and, being the configured one, active again). Throughout,
     * the VMs run with their definitions and their cumulative CPU work only grows.
     */
    @Test
    public void policySwapsByNameByUninstallAndByDeployKeepVmsRunningAndWorking() throws Exception {
        hosts.addHost(HostSpec.of("qa-swap", 4, 2400, 16 * 1024, HypervisorKind.HYBRID));
        create("sw1", "qa-swap", 2, new CpuQos(null, 1000, CpuQos.DEFAULT_SHARES), "batch");
        create("sw2", "qa-swap", 2, CpuQos.DEFAULT, "batch");
        vms.start("sw1");
        vms.start("sw2");
        run("2s");
        Steady steady = new Steady("sw1", "sw2");

        // by name, through the shell
        assertEquals("cpu: credit is active (org.vireo.cpu.credit)", text("policy:use cpu credit"));
        run("2s");
        steady.check("after policy:use cpu credit");
        String page = text("qos:show qa-swap");
        assertTrue(page, page.startsWith("host qa-swap: CPU policy credit, "));
        assertTrue(page, page.contains("\nwarning: sw1: reservation of 1000 MHz is not honoured by the credit policy"));
        JsonNode shown = json("qos:show --json qa-swap");
        assertEquals("credit", shown.get("policy").asText());
        assertEquals("sw1: reservation of 1000 MHz is not honoured by the credit policy", shown.get("warnings").get(0).asText());

        assertEquals("cpu: reservation is active (org.vireo.cpu.reservation)", text("policy:use cpu reservation"));
        run("2s");
        steady.check("after policy:use cpu reservation");
        assertEquals(List.of(), qos.cpu("qa-swap").warnings());

        // by uninstalling the active policy's bundle: the next-ranked policy takes over
        Bundle reservation = bundle(RESERVATION_BUNDLE);
        File jar = runtimeJar(RESERVATION_BUNDLE);
        try {
            reservation.uninstall();
            await("credit takes over", () -> activeCpu(), "credit"::equals);
            PolicyInfo fallback = policies.list().stream().filter(p -> p.family() == PolicyFamily.CPU && p.active()).findFirst()
                    .orElseThrow();
            assertTrue(fallback.detail(), fallback.detail().startsWith("fallback"));
            run("2s");
            steady.check("after uninstalling " + RESERVATION_BUNDLE);
            assertEquals("credit", qos.cpu("qa-swap").policy());

            // by dropping the bundle into the deploy folder
            Path deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
            Files.copy(jar.toPath(), deploy.resolve(jar.getName()), StandardCopyOption.REPLACE_EXISTING);
            await("the deployed reservation policy is active again", () -> activeCpu(), "reservation"::equals);
            Bundle deployed = bundle(RESERVATION_BUNDLE);
            assertTrue(deployed.getLocation(), deployed.getLocation().contains(deploy.getFileName().toString()));
            run("2s");
            steady.check("after deploying " + jar.getName());
            assertEquals("reservation", qos.cpu("qa-swap").policy());
            assertEquals(List.of(), qos.cpu("qa-swap").warnings());
        } finally {
            if (installed(RESERVATION_BUNDLE) == null) {
                context.installBundle(jar.toURI().toString()).start();
            }
        }
        Map<String, Double> used = usedOver10s("sw1", "sw2");
        CpuQosReport report = qos.cpu("qa-swap");
        assertWithin("sw1 under the returned policy", row(report, "sw1").entitlementMhz(), used.get("sw1"));
        assertWithin("sw2 under the returned policy", row(report, "sw2").entitlementMhz(), used.get("sw2"));
    }

    /** {@code qos:show --json} and {@code mem:show --json} carry the documented fields. */
    @Test
    public void qosAndMemShowAnswerJsonWithTheDocumentedFields() throws Exception {
        hosts.addHost(HostSpec.of("qa-json", 4, 2400, 16 * 1024, HypervisorKind.BAREMETAL));
        text("vm:create js1 --vcpus 2 --mem 2G --host qa-json --cpu-limit 3GHz --cpu-reservation 500 --cpu-shares 1500"
                + " --mem-reservation 512M --workload db");
        text("vm:start js1");
        run("2s");

        JsonNode cpu = json("qos:show --json qa-json");
        for (String field : List.of("host", "policy", "capacityMhz", "reservedMhz", "demandMhz", "entitlementMhz", "usedMhz", "vms",
                "warnings")) {
            assertTrue(field + " in " + cpu, cpu.has(field));
        }
        assertEquals("reservation", cpu.get("policy").asText());
        assertEquals("the privileged domain is not a VM: " + cpu, 1, cpu.get("vms").size());
        JsonNode row = cpu.get("vms").get(0);
        for (String field : List.of("vm", "vcpus", "limitMhz", "reservationMhz", "shares", "demandMhz", "entitlementMhz", "usedMhz")) {
            assertTrue(field + " in " + row, row.has(field));
        }
        assertEquals("js1", row.get("vm").asText());
        assertEquals(3000, row.get("limitMhz").asLong());
        assertEquals(500, row.get("reservationMhz").asLong());
        assertEquals(1500, row.get("shares").asInt());
        assertTrue(row.toString(), row.get("usedMhz").asDouble() > 0);

        assertEquals("js1: CPU limit unlimited, reservation 500 MHz, shares 3000 (RUNNING on qa-json, effective from the next"
                + " interval)", text("qos:set js1 --limit unlimited --shares 3000"));
        run("1s");
        assertTrue(json("qos:show --json qa-json").get("vms").get(0).get("limitMhz").isNull());

        JsonNode mem = json("mem:show --json qa-json");
        for (String field : List.of("host", "policy", "state", "totalMiB", "hypervisorMiB", "freeMiB", "sharedSavedMiB",
                "overcommitLimitMiB", "vms")) {
            assertTrue(field + " in " + mem, mem.has(field));
        }
        assertEquals(16 * 1024, mem.get("totalMiB").asLong());
        assertEquals(1, mem.get("vms").size());
        JsonNode vm = mem.get("vms").get(0);
        for (String field : List.of("vm", "configuredMiB", "reservedMiB", "residentMiB", "sharedMiB", "balloonedMiB", "swappedMiB",
                "activeMiB")) {
            assertTrue(field + " in " + vm, vm.has(field));
        }
        assertEquals(2048, vm.get("configuredMiB").asLong());
        assertEquals(512, vm.get("reservedMiB").asLong());
        assertEquals("js1: memory reservation 1G of 2G, shares 1000 (RUNNING on qa-json)", text("mem:set js1 --reservation 1G"));
        assertEquals(1024, json("mem:show --json qa-json").get("vms").get(0).get("reservedMiB").asLong());
        String page = text("mem:show qa-json");
        assertTrue(page, page.startsWith("host qa-json: memory state "));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The VMs of a swap test: running with their definitions, their cumulative work never lost and growing. */
    private final class Steady {
        private final Map<String, VmSpec> specs = new HashMap<>();
        private final Map<String, Double> work = new HashMap<>();

        Steady(String... names) {
            for (String name : names) {
                VmView vm = vms.vm(name);
                specs.put(name, vm.spec());
                work.put(name, vm.live().cpu().workMhzSeconds());
                assertTrue(name + " has worked", work.get(name) > 0);
            }
        }

        void check(String when) {
            for (Map.Entry<String, VmSpec> e : specs.entrySet()) {
                VmView vm = vms.vm(e.getKey());
                assertEquals(when + ": " + vm.name() + " runs", VmState.RUNNING, vm.state());
                assertEquals(when + ": " + vm.name() + " keeps its definition", e.getValue(), vm.spec());
                double now = vm.live().cpu().workMhzSeconds();
                assertTrue(when + ": " + vm.name() + "'s cumulative work " + now + " grew from " + work.get(vm.name()),
                        now > work.get(vm.name()));
                work.put(vm.name(), now);
            }
        }
    }

    private void create(String name, String host, int vcpus, CpuQos cpu, String workload) {
        vms.create(VmSpec.of(name, vcpus, 1024).withCpu(cpu).withWorkload(WorkloadSpec.parse(workload)), host);
    }

    /** @return each VM's average used MHz over the next 10 simulated seconds */
    private Map<String, Double> usedOver10s(String... names) {
        Map<String, Double> before = new HashMap<>();
        for (String name : names) {
            before.put(name, work(name));
        }
        run("10s");
        Map<String, Double> used = new HashMap<>();
        for (String name : names) {
            used.put(name, (work(name) - before.get(name)) / 10);
        }
        return used;
    }

    private double entitlementUnder(String policy, String host, String vm) {
        policies.use(PolicyFamily.CPU, policy);
        return row(host, vm).entitlementMhz();
    }

    private VmCpuQos row(String host, String vm) {
        return row(qos.cpu(host), vm);
    }

    private static VmCpuQos row(CpuQosReport report, String vm) {
        return report.vms().stream().filter(r -> r.vm().equals(vm)).findFirst()
                .orElseThrow(() -> new AssertionError(vm + " not in " + report));
    }

    /** Checks that an admission refusal gives the unreserved and the total capacity, to the MHz. */
    private static void assertNumbers(String message, double unreserved, double capacity) {
        Matcher m = Pattern.compile("([0-9.]+) MHz unreserved of ([0-9.]+) MHz").matcher(message);
        assertTrue("the numbers in: " + message, m.find());
        assertEquals(message, unreserved, Double.parseDouble(m.group(1)), 1);
        assertEquals(message, capacity, Double.parseDouble(m.group(2)), 1);
    }

    private static void assertWithin(String what, double expected, double actual) {
        assertTrue(String.format(Locale.ROOT, "%s: %.2f is not within %.0f%% of %.2f", what, actual, TOLERANCE * 100, expected),
                Math.abs(actual - expected) <= TOLERANCE * Math.abs(expected));
    }

    private String activeCpu() {
        return policies.list().stream().filter(p -> p.family() == PolicyFamily.CPU && p.active()).map(PolicyInfo::name).findFirst()
                .orElse("none");
    }

    /** @return the jar of the runtime's bundle set that holds {@code symbolicName} */
    private static File runtimeJar(String symbolicName) {
        File[] jars = new File(System.getProperty("vireo.itest.bundles", "")).listFiles(
                (dir, name) -> name.startsWith(symbolicName + "-") && name.endsWith(".jar"));
        assertNotNull("the runtime's bundle folder is listed", jars);
        assertEquals("one jar of " + symbolicName, 1, jars.length);
        return jars[0];
    }
}
