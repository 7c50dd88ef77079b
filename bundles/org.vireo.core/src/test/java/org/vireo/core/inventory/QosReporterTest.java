package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.VmCpuQos;
import org.vireo.api.inventory.VmMemoryQos;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VireoException;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.policy.ChoiceStore;
import org.vireo.core.policy.PolicyManager;

class QosReporterTest {
    private final FakeCoreConfiguration configuration = new FakeCoreConfiguration();
    private static final int MIB = MemoryFigures.PAGES_PER_MIB;

    @TempDir
    Path dir;

    private Fixture f;
    private PolicyManager policies;
    private QosReporter qos;
    private long nextId = 100;

    @BeforeEach
    void setUp() {
        f = new Fixture(dir).installed();
        f.sim.startState = VmState.RUNNING;
        // 4 x 2500 MHz less the type's 1000 MHz, less 10 %: 8100 MHz for guests; 8192 MiB less 512
        f.hosts.addHost(Fixture.host("h1", 8192));
        policies = new PolicyManager(Map.of(), new ChoiceStore() {
            @Override
            public void save(PolicyFamily family, String name) {
            }

            @Override
            public Optional<Map<PolicyFamily, String>> current() {
                return Optional.empty();
            }
        }, f.events, id -> "test");
        f.inventory.setPolicies(policies);
        qos = new QosReporter(f.inventory, configuration);
    }

    private Map<String, Object> properties(String name) {
        return Map.of("vireo.name", name, Constants.SERVICE_ID, nextId++);
    }

    /** A CPU policy that grants each VM its demand, halved, and remembers what it was asked. */
    private static final class HalvingPolicy implements CpuQosPolicy {
        final List<CpuSnapshot> asked = new ArrayList<>();

        @Override
        public CpuAllocation allocate(CpuSnapshot host) {
            asked.add(host);
            List<CpuEntitlement> out = new ArrayList<>();
            for (CpuDemand d : host.vms()) {
                out.add(new CpuEntitlement(d.vm(), d.demandMhz() / 2, Double.POSITIVE_INFINITY, d.qos().shares()));
            }
            return new CpuAllocation(out, List.of("halving everything"));
        }

        @Override
        public Admission admit(CpuSnapshot host, VmSpec candidate) {
            return Admission.granted();
        }
    }

    private void running(String name, int vcpus, CpuQos cpu, CpuFigures figures) {
        f.vms.create(VmSpec.of(name, vcpus, 1024).withCpu(cpu), "h1");
        f.vms.start(name);
        VmSnapshot started = f.sim.running.get("h1").get(name);
        f.sim.put("h1", new VmSnapshot(started.spec(), VmState.RUNNING, figures, started.memory(), IoFigures.NONE, ""));
    }

    @Test
    void cpuRowsComeFromTheLiveFiguresAndEntitlementsFromTheActivePolicy() {
        HalvingPolicy halving = new HalvingPolicy();
        policies.bindCpu(halving, properties("halving"));
        running("a", 2, new CpuQos(2000L, 500, 2000), new CpuFigures(3000, 1800, 1700, 5, 12_000));
        running("b", 1, CpuQos.DEFAULT, new CpuFigures(1000, 900, 950, 0, 4_000));
        f.vms.create(VmSpec.of("c", 1, 512).withCpu(CpuQos.DEFAULT.withReservationMhz(300)), "h1");
        f.vms.start("c");
        f.vms.pause("c");

        CpuQosReport report = qos.cpu("h1");

        assertEquals("h1", report.host());
        assertEquals("halving", report.policy());
        assertEquals(8100, report.capacityMhz(), 1e-9);
        assertEquals(800, report.reservedMhz(), "the reservations of every VM holding resources, paused included");
        assertEquals(List.of(
                new VmCpuQos("a", 2, 2000L, 500, 2000, 3000, 1500, 1700),
                new VmCpuQos("b", 1, null, 0, 1000, 1000, 500, 950),
                new VmCpuQos("c", 1, null, 300, 1000, 0, 0, 0)), report.vms());
        assertEquals(List.of("halving everything"), report.warnings());
        CpuSnapshot asked = halving.asked.get(halving.asked.size() - 1);
        assertEquals(8100, asked.capacityMhz(), 1e-9);
        assertEquals(2500, asked.coreMhz(), 1e-9);
        assertEquals(List.of(new CpuDemand("a", 2, new CpuQos(2000L, 500, 2000), 3000), new CpuDemand("b", 1, CpuQos.DEFAULT, 1000)),
                asked.vms(), "the policy sees the running VMs with their last demand, as the hypervisor shows them");
    }

    @Test
    void withoutAPolicyTheHypervisorsEntitlementsAreShownWithAWarning() {
        running("a", 1, CpuQos.DEFAULT, new CpuFigures(2500, 2250, 2200, 0, 100));

        CpuQosReport report = qos.cpu("h1");

        assertEquals("", report.policy());
        assertEquals(2250, report.vms().get(0).entitlementMhz(), 1e-9);
        assertEquals(List.of("no CPU policy is installed: the hypervisor divides CPU equally among the vCPUs of the running VMs"),
                report.warnings());
    }

    @Test
    void aFailingPolicyIsReportedAndTheHypervisorsEntitlementsShown() {
        policies.bindCpu(new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                throw new IllegalStateException("broken");
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return Admission.granted();
            }
        }, properties("broken"));
        running("a", 1, CpuQos.DEFAULT, new CpuFigures(2500, 2250, 2200, 0, 100));

        CpuQosReport report = qos.cpu("h1");

        assertEquals(2250, report.vms().get(0).entitlementMhz(), 1e-9);
        assertEquals(1, report.warnings().size());
        assertTrue(report.warnings().get(0).startsWith("CPU policy 'broken' failed (java.lang.IllegalStateException: broken)"),
                report.warnings().toString());
    }

    /** A bare-metal type whose privileged domain the hypervisor lists among the host's VMs. */
    private record XenType() implements HypervisorType {
        @Override
        public HypervisorKind kind() {
            return HypervisorKind.BAREMETAL;
        }

        @Override
        public TypeProfile profile(HostSpec host) {
            return new TypeProfile(HypervisorKind.BAREMETAL, "fake xen", 0, 2500, 1024, "Dom0", "split drivers", 16, false);
        }
    }

    @Test
    void thePrivilegedDomainIsNeverAVmAndStrangersAreReported() {
        f.bindType(new XenType(), "baremetal");
        HostSpec xen = new HostSpec("x1", "c1", 4, 2500, 8192, HypervisorKind.BAREMETAL, "sim", CpuModel.DEFAULT,
                List.of(DatastoreSpec.LOCAL), 10_000);
        f.hosts.addHost(xen);
        f.sim.put("x1", new VmSnapshot(VmSpec.of("Dom0", 1, 1024), VmState.RUNNING, new CpuFigures(100, 2500, 100, 0, 50),
                MemoryFigures.none(1024), IoFigures.NONE, "privileged domain"));
        f.sim.put("x1", new VmSnapshot(VmSpec.of("stray", 1, 512), VmState.RUNNING, CpuFigures.NONE, MemoryFigures.none(512),
                IoFigures.NONE, ""));
        HalvingPolicy halving = new HalvingPolicy();
        policies.bindCpu(halving, properties("halving"));
        policies.bindMemory(new FixedReclaim(MemoryState.HIGH), properties("fixed"));
        f.vms.create(VmSpec.of("g1", 1, 512), "x1");
        f.vms.start("g1");

        CpuQosReport cpu = qos.cpu("x1");
        MemoryReport memory = qos.memory("x1");

        assertEquals(List.of("g1"), cpu.vms().stream().map(VmCpuQos::vm).toList());
        assertEquals(List.of("g1"), halving.asked.get(0).vms().stream().map(CpuDemand::vm).toList());
        assertEquals(7500, cpu.capacityMhz(), 1e-9, "Dom0's reservation is taken off the guests' capacity");
        assertEquals(List.of("host runs 'stray', which is not a VM of the inventory on this host", "halving everything"),
                cpu.warnings());
        assertEquals(List.of("g1"), memory.vms().stream().map(VmMemoryQos::vm).toList());
        assertEquals(1024 + 16, memory.hypervisorMiB(), "Dom0's memory and one guest's overhead");

        InvalidSpecException named = assertThrows(InvalidSpecException.class,
                () -> f.vms.create(VmSpec.of("Dom0", 1, 512), "x1"));
        assertEquals("name: 'Dom0' is not allowed; expected a name other than 'Dom0', the privileged domain of host 'x1'",
                named.getMessage());
    }

    /** A reclaim policy that answers a fixed state and remembers what it was given. */
    private static final class FixedReclaim implements MemoryReclaimPolicy {
        final MemoryState state;
        MemorySnapshot host;
        Set<MemoryTechnique> available;

        FixedReclaim(MemoryState state) {
            this.state = state;
        }

        @Override
        public ReclaimPlan plan(MemorySnapshot host, Set<MemoryTechnique> available) {
            this.host = host;
            this.available = available;
            return new ReclaimPlan(state, List.of());
        }
    }

    private record Strategy(MemoryTechnique technique) implements MemoryReuseStrategy {
        @Override
        public List<MemoryAction> actions(MemorySnapshot host, List<ReclaimRequest> requests) {
            return List.of();
        }
    }

    @Test
    void memoryStateIsTheActiveReclaimPolicysAnswerOnTheHostsFigures() {
        FixedReclaim reclaim = new FixedReclaim(MemoryState.SOFT);
        policies.bindMemory(reclaim, properties("fixed"));
        policies.bindMemoryStrategy(new Strategy(MemoryTechnique.BALLOONING), properties("balloon"));
        policies.bindMemoryStrategy(new Strategy(MemoryTechnique.SHARING), properties("sharing"));
        f.sim.freePages = 3000L * MIB;
        f.vms.create(VmSpec.of("a", 1, 2048).withMemory(new MemoryQos(512, 2000)), "h1");
        f.vms.start("a");
        VmSnapshot a = f.sim.running.get("h1").get("a");
        f.sim.put("h1", new VmSnapshot(a.spec(), VmState.RUNNING, CpuFigures.NONE,
                new MemoryFigures(2048L * MIB, 1500L * MIB, 100L * MIB, 300L * MIB, 200L * MIB, 512L * MIB, Map.of()),
                IoFigures.NONE, ""));

        MemoryReport report = qos.memory("h1");

        assertEquals("fixed", report.policy());
        assertEquals(MemoryState.SOFT, report.state());
        assertEquals(8192, report.totalMiB());
        assertEquals(512, report.hypervisorMiB(), "the fake type reserves 512 MiB and costs nothing per VM");
        assertEquals(3000, report.freeMiB());
        assertEquals((long) Math.floor(1.5 * (8192 - 512)), report.overcommitLimitMiB());
        assertEquals(List.of(new VmMemoryQos("a", 2048, 512, 2000, 1500, 100, 300, 200, 512)), report.vms());
        assertNotNull(reclaim.host);
        assertEquals(8192L * MIB, reclaim.host.totalPages());
        assertEquals(512L * MIB, reclaim.host.hypervisorPages());
        assertEquals(3000L * MIB, reclaim.host.freePages());
        assertEquals(List.of(new VmMemory("a", 2048L * MIB, 512L * MIB, 2000, 1500L * MIB, 100L * MIB, 300L * MIB, 200L * MIB, 0.25)),
                reclaim.host.vms());
        assertEquals(Set.of(MemoryTechnique.BALLOONING, MemoryTechnique.SHARING), reclaim.available);
    }

    @Test
    void theOvercommitLimitFollowsTheRatioOfTheHostsClusterElseTheGlobalOne() {
        f.hosts.addHost(Fixture.host("h2", 8192).withCluster("c2"));
        f.inventory.modified(SettingsTest.config(1.25, "c1=2.0"));
        assertEquals(2 * (8192 - 512), qos.memory("h1").overcommitLimitMiB(), "h1 is in cluster c1");
        assertEquals((long) Math.floor(1.25 * (8192 - 512)), qos.memory("h2").overcommitLimitMiB(), "c2 has no ratio of its own");
        f.inventory.modified(SettingsTest.config(1.25));
        assertEquals((long) Math.floor(1.25 * (8192 - 512)), qos.memory("h1").overcommitLimitMiB());
    }

    @Test
    void overcommitReportsWhatAdmissionUsesWithWhatTheConfigurationHoldsThatIsNotValid() {
        assertEquals(new OvercommitSettings(1.5, false, Map.of(), List.of()), qos.overcommit());
        configuration.properties.put("overcommitRatio", 1.25);
        f.inventory.modified(SettingsTest.config(1.25, "c1=2.0", "c2=lots"));
        OvercommitSettings s = qos.overcommit();
        assertEquals(1.25, s.globalRatio());
        assertTrue(s.globalConfigured());
        assertEquals(Map.of("c1", 2.0), s.clusterRatios());
        assertEquals(2.0, s.ratioFor("c1"));
        assertEquals(1.25, s.ratioFor("c2"));
        assertEquals(List.of("org.vireo.core.clusterOvercommit: 'c2=lots' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a "
                + "ratio from 0.1 to 100.0; the entry is ignored"), s.ignored());
    }

    @Test
    void setOvercommitWritesCoresConfigurationKeepingTheRestAndAppliesItToTheNextAdmission() {
        configuration.properties.put("monitorIntervalMillis", 250L);
        configuration.properties.put("clusterOvercommit", new String[] {"lab=0.8", "c1=1.1"});
        OvercommitSettings after = qos.setOvercommit("c1", "2");
        assertEquals(Map.of("c1", 2.0, "lab", 0.8), after.clusterRatios());
        assertEquals(after, qos.overcommit(), "applied at once, before ConfigAdmin delivers the configuration");
        assertEquals(2 * (8192 - 512), qos.memory("h1").overcommitLimitMiB(), "h1 is in cluster c1");
        assertEquals(1, configuration.writes.size());
        assertEquals(250L, configuration.properties.get("monitorIntervalMillis"));
        assertArrayEquals(new String[] {"c1=2.0", "lab=0.8"}, (String[]) configuration.properties.get("clusterOvercommit"));
        assertFalse(configuration.properties.containsKey("overcommitRatio"), "the global ratio is left as it was");
        assertEquals(250, f.inventory.settings().monitorIntervalMillis());

        OvercommitSettings global = qos.setOvercommit(null, "1.75");
        assertEquals(1.75, global.globalRatio());
        assertTrue(global.globalConfigured());
        assertEquals(1.75, configuration.properties.get("overcommitRatio"));
        qos.setOvercommit("c1", null);
        assertEquals((long) Math.floor(1.75 * (8192 - 512)), qos.memory("h1").overcommitLimitMiB());
        OvercommitSettings reset = qos.setOvercommit(null, null);
        assertEquals(new OvercommitSettings(1.5, false, Map.of("lab", 0.8), List.of()), reset);
        assertFalse(configuration.properties.containsKey("overcommitRatio"));
        assertEquals(4, configuration.writes.size());
    }

    @Test
    void setOvercommitRefusesABadRatioOrClusterAndWritesNothing() {
        InvalidSpecException global = assertThrows(InvalidSpecException.class, () -> qos.setOvercommit(null, "abc"));
        assertEquals("org.vireo.core.overcommitRatio: 'abc' is not allowed; expected a number from 0.1 to 100.0", global.getMessage());
        InvalidSpecException cluster = assertThrows(InvalidSpecException.class, () -> qos.setOvercommit("c1", "0"));
        assertEquals("org.vireo.core.clusterOvercommit", cluster.field());
        assertEquals("c1=0", cluster.value());
        assertEquals("cluster", assertThrows(InvalidSpecException.class, () -> qos.setOvercommit("no such", "2")).field());
        assertEquals(List.of(), configuration.writes);
        assertEquals(Settings.DEFAULT, f.inventory.settings());
    }

    @Test
    void withoutAReclaimPolicyTheStateIsHighAndAFailingOneIsAnError() {
        MemoryReport report = qos.memory("h1");
        assertEquals("", report.policy());
        assertEquals(MemoryState.HIGH, report.state());
        assertEquals(List.of(), report.vms());

        policies.bindMemory((host, available) -> {
            throw new IllegalStateException("broken");
        }, properties("broken"));
        VireoException e = assertThrows(VireoException.class, () -> qos.memory("h1"));
        assertEquals("cannot tell the memory state of host 'h1': memory policy 'broken' failed: java.lang.IllegalStateException: broken",
                e.getMessage());
    }

    @Test
    void unknownAndDetachedHostsAreNotFound() {
        NotFoundException unknown = assertThrows(NotFoundException.class, () -> qos.cpu("nope"));
        assertEquals("no host named 'nope'; hosts: h1", unknown.getMessage());
        f.inventory.unbindHypervisor(f.sim, Map.of("vireo.name", "sim", Constants.SERVICE_ID, 2L));
        NotFoundException detached = assertThrows(NotFoundException.class, () -> qos.memory("h1"));
        assertEquals("host 'h1' is not attached: hypervisor 'sim' is not installed", detached.getMessage());
    }
}
