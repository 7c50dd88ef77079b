package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;

/** The commands as Gogo parses and dispatches them, registered from their component descriptors. */
class GogoCommandsTest {
    private static final Set<String> JAVA_KEYWORDS = Set.of("import", "new", "default", "switch", "class");

    private final FakeHosts hosts = new FakeHosts();
    private final FakeVms vms = new FakeVms();
    private final FakePolicies policies = new FakePolicies();
    private final FakeEvents events = new FakeEvents();
    private final FakeQos qos = new FakeQos();
    private Gogo gogo;

    @BeforeEach
    void setUp() throws Exception {
        hosts.addHost(Samples.host("h1"));
        hosts.calls.clear();
        gogo = new Gogo(new HostCommands(hosts), new VmCommands(vms), new PolicyCommands(policies), new QosCommands(qos, vms),
                new MemCommands(qos, vms, hosts),
                new EventCommands(events, () -> System.out, millis -> {
                    throw new InterruptedException();
                }));
    }

    @AfterEach
    void tearDown() {
        gogo.close();
    }

    @Test
    void everyDeclaredFunctionIsADescribedPublicMethodWithDescribedParameters() throws Exception {
        for (Class<?> c : List.of(HostCommands.class, VmCommands.class, PolicyCommands.class, EventCommands.class, QosCommands.class,
                MemCommands.class)) {
            Gogo.Declared d = Gogo.declared(c);
            assertNotNull(d.scope(), c + " declares osgi.command.scope");
            assertFalse(d.functions().isEmpty(), c + " declares functions");
            for (String f : d.functions()) {
                String method = JAVA_KEYWORDS.contains(f) ? "_" + f : f;
                List<Method> ms = Arrays.stream(c.getMethods()).filter(m -> m.getName().equals(method)).toList();
                assertFalse(ms.isEmpty(), c.getSimpleName() + " has a public method for " + d.scope() + ":" + f);
                for (Method m : ms) {
                    assertTrue(Modifier.isPublic(m.getModifiers()));
                    assertNotNull(m.getAnnotation(Descriptor.class), m + " has @Descriptor");
                    for (Annotation[] pa : m.getParameterAnnotations()) {
                        assertTrue(Arrays.stream(pa).anyMatch(a -> a instanceof Descriptor), m + ": every parameter has @Descriptor");
                    }
                }
            }
        }
        assertEquals(List.of("create", "start", "stop", "pause", "resume", "crash", "list", "info", "destroy", "export",
                "import", "clone"), Gogo.declared(VmCommands.class).functions());
        assertEquals("vireo", Gogo.declared(EventCommands.class).scope());
        assertEquals(new Gogo.Declared("qos", List.of("show", "set")), Gogo.declared(QosCommands.class));
        assertEquals(new Gogo.Declared("mem", List.of("show", "set", "overcommit")), Gogo.declared(MemCommands.class));
    }

    @Test
    void negativeVcpusReachValidationAndChangeNothing() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> gogo.execute("vm:create vm1 --vcpus -2 --mem 1G"));
        assertEquals("vcpus: -2 is not allowed; expected an integer from 1 to 256", e.getMessage());
        assertEquals("vcpus", e.field());
        assertTrue(vms.calls.isEmpty());
    }

    @Test
    void malformedNumbersNameTheField() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> gogo.execute("host:add h2 --cpus eight --mhz 2400 --mem 16G --type hybrid"));
        assertEquals("host.cores", e.field());
        assertEquals("eight", e.value());
        assertTrue(hosts.calls.isEmpty());
    }

    @Test
    void repeatedDiskAndNicOptionsAreAllKeptInOrder() throws Exception {
        Object out = gogo.execute("vm:create vm1 --vcpus 2 --mem 1G --disk 10G --nic lan --disk name=data,size=20G,format=raw"
                + " --nic dmz,mac=52:54:00:12:34:56 --cpu-limit 2.5GHz --cpu-reservation 500 --cpu-shares 2000"
                + " --mem-reservation 256M --mem-shares 500 --workload custom:cpu=50,ws=512M --image alpine --host h1");
        assertEquals("vm1 DEFINED on h1", out);
        VmSpec s = vms.lastSpec;
        assertEquals(2, s.vcpus());
        assertEquals(1024, s.memoryMiB());
        assertEquals(List.of("disk0", "data"), s.disks().stream().map(d -> d.name()).toList());
        assertEquals(20 * 1024, s.disks().get(1).capacityMiB());
        assertEquals(DiskFormat.RAW, s.disks().get(1).format());
        assertEquals(List.of("lan", "dmz"), s.nics().stream().map(n -> n.network()).toList());
        assertEquals("52:54:00:12:34:56", s.nics().get(1).mac());
        assertEquals(2500L, s.cpu().limitMhz());
        assertEquals(500, s.cpu().reservationMhz());
        assertEquals(2000, s.cpu().shares());
        assertEquals(256, s.memory().reservationMiB());
        assertEquals(500, s.memory().shares());
        assertEquals("custom:cpu=50,ws=512", s.workload().toText());
        assertEquals("alpine", s.image());
        assertEquals("h1", vms.lastHost);
    }

    @Test
    void quotedSemicolonsSeparateSeveralDisksAndTheNameMayComeLast() throws Exception {
        gogo.execute("vm:create --vcpus 1 --mem 512M --disk '10G;20G' --disk 30G vm1");
        assertEquals(List.of(10240L, 20480L, 30720L), vms.lastSpec.disks().stream().map(d -> d.capacityMiB()).toList());
        assertEquals(List.of("disk0", "disk1", "disk2"), vms.lastSpec.disks().stream().map(d -> d.name()).toList());
        assertEquals("vm1", vms.lastSpec.name());
    }

    @Test
    void anUnknownOptionIsNamedAndChangesNothing() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> gogo.execute("vm:create vm1 --vcpus 2 --mem 1G --vpcus 3"));
        assertEquals("option", e.field());
        assertEquals("--vpcus", e.value());
        assertTrue(vms.calls.isEmpty());
    }

    @Test
    void aMistypedHostOptionIsNamedAndAddsNothing() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> gogo.execute("host:add h2 --cpu 8 --mhz 2400 --mem 16G --type hybrid"));
        assertEquals("option: '--cpu' is not allowed; expected an option of host:add NAME --cpus N --mhz FREQ --mem SIZE"
                + " --type hosted|baremetal|hybrid [--cpu-model M] [--hypervisor sim|qemu] [--cluster C] [--json]", e.getMessage());
        assertTrue(hosts.calls.isEmpty());
    }

    @Test
    void flagsAndKeywordFunctionsDispatch() throws Exception {
        gogo.execute("vm:create vm1 --vcpus 1 --mem 512M");
        assertEquals("vm1 RUNNING on h1", gogo.execute("vm:start vm1"));
        assertEquals("vm1 STOPPED on h1", gogo.execute("vm:stop --force vm1"));
        assertEquals("vm2 DEFINED on h1", gogo.execute("vm:clone --linked vm1 vm2"));
        assertEquals("vm1 exported to /abs/out", gogo.execute("vm:export vm1 out"));
        assertEquals("imported DEFINED on h1", gogo.execute("vm:import /tmp/x"));
        assertEquals("vm9 DEFINED on h1", gogo.execute("vm:import /tmp/x vm9"));
        assertEquals(List.of("create vm1 null", "start vm1", "stop vm1 force", "clone vm1 vm2 linked", "export vm1 out",
                "import /tmp/x null", "import /tmp/x vm9"), vms.calls);
    }

    @Test
    void jsonOptionsReturnParseableDocuments() throws Exception {
        JsonNode added = new ObjectMapper().readTree((String) gogo.execute(
                "host:add h2 --cpus 16 --mhz 2.5GHz --mem 64G --type hybrid --cluster east --json"));
        assertEquals("h2", added.get("name").asText());
        assertEquals(2500, added.get("mhzPerCore").asLong());
        assertEquals("east", added.get("cluster").asText());
        JsonNode list = new ObjectMapper().readTree((String) gogo.execute("host:list --json"));
        assertTrue(list.isArray());
        assertEquals(2, list.size());
    }

    @Test
    void eventsResolvesWithoutItsScope() throws Exception {
        events.post(org.vireo.api.inventory.EventCategory.SYSTEM, "vireo", "started", "core started");
        Object out = gogo.execute("events --last 1");
        assertInstanceOf(String.class, out);
        assertTrue(((String) out).contains("core started"), (String) out);
    }

    @Test
    void qosAndMemOptionsParseInAnyOrder() throws Exception {
        gogo.execute("vm:create vm1 --vcpus 2 --mem 2G --cpu-limit 3GHz --cpu-shares 500");
        gogo.execute("vm:start vm1");
        assertEquals("vm1: CPU limit unlimited, reservation 1000 MHz, shares 500 (RUNNING on h1, effective from the next interval)",
                gogo.execute("qos:set vm1 --reservation 1GHz --limit unlimited"));
        gogo.execute("qos:set --shares 2000 vm1");
        assertEquals(new org.vireo.api.model.CpuQos(null, 1000, 2000), vms.vm("vm1").spec().cpu());
        assertEquals("vm1: memory reservation 512M of 2G, shares 1000 (RUNNING on h1)", gogo.execute("mem:set vm1 --reservation 512M"));
        InvalidSpecException unknown = assertThrows(InvalidSpecException.class, () -> gogo.execute("qos:set vm1 --limmit 5"));
        assertEquals("option: '--limmit' is not allowed; expected an option of qos:set VM [--limit FREQ|unlimited]"
                + " [--reservation FREQ] [--shares N]", unknown.getMessage());
        qos.cpu.put("h1", new org.vireo.api.inventory.CpuQosReport("h1", "reservation", 1000, 0, List.of(), List.of()));
        JsonNode shown = new ObjectMapper().readTree((String) gogo.execute("qos:show --json h1"));
        assertEquals("reservation", shown.get("policy").asText());
    }

    @Test
    void memOvercommitTakesItsOptionsAndRatioInAnyOrderAndPassesTheRatioToCoreAsTyped() throws Exception {
        assertEquals("cluster default: overcommit ratio 2.00 (was 1.50, the global ratio); hosts: h1; core applies it from the next"
                + " admission", gogo.execute("mem:overcommit --cluster default 2.0"));
        gogo.execute("mem:overcommit 1.25");
        gogo.execute("mem:overcommit --unset --cluster default");
        JsonNode shown = new ObjectMapper().readTree((String) gogo.execute("mem:overcommit --json"));
        assertEquals(1.25, shown.get("globalRatio").asDouble());
        assertEquals("global", shown.get("clusters").get(0).get("source").asText());
        assertEquals(List.of("setOvercommit default 2.0", "setOvercommit null 1.25", "setOvercommit default null"), qos.changes());
        qos.refusal = new InvalidSpecException("org.vireo.core.overcommitRatio", "-1", "a number from 0.1 to 100.0");
        for (String bad : List.of("mem:overcommit -1", "mem:overcommit abc", "mem:overcommit --cluster gold abc")) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> gogo.execute(bad), bad);
            assertSame(qos.refusal, e, bad);
        }
        assertEquals(List.of("setOvercommit null -1", "setOvercommit null abc", "setOvercommit gold abc"),
                qos.changes().subList(3, 6), "a negative ratio is a ratio, not an option");
    }

    @Test
    void policyUseParsesTheFamily() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> gogo.execute("policy:use cpuu credit"));
        assertEquals("family", e.field());
        assertTrue(policies.calls.isEmpty());
    }
}
