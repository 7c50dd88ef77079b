package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.inventory.VmMemoryQos;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;

class MemCommandsTest {
    private final FakeQos qos = new FakeQos();
    private final FakeVms vms = new FakeVms();
    private final FakeHosts hosts = new FakeHosts();
    private final MemCommands commands = new MemCommands(qos, vms, hosts);

    MemCommandsTest() {
        hosts.addHost(Samples.host("h1").withCluster("prod"));
        hosts.addHost(Samples.host("empty"));
        hosts.addHost(Samples.host("h2").withCluster("prod"));
        hosts.calls.clear();
        qos.memory.put("h1", new MemoryReport("h1", "idle-tax", MemoryState.SOFT, 16384, 1187, 900, 300, 22794, List.of(
                new VmMemoryQos("vm1", 8192, 1024, 2000, 6000, 300, 1500, 692, 2048),
                new VmMemoryQos("vm2", 4096, 0, 1000, 4096, 0, 0, 0, 512))));
        qos.memory.put("empty", new MemoryReport("empty", "", MemoryState.HIGH, 4096, 600, 3496, 0, 5244, List.of()));
    }

    @Test
    void showGivesTheStateThenOneRowPerVm() {
        assertEquals("""
                host h1: memory state SOFT (reclaim policy idle-tax)
                  total 16G, hypervisor 1.2G, free 900M, saved by sharing 300M
                  configured 12G of 22.3G allowed by overcommit ratio 1.50 (global)
                VM   CONFIGURED  RESERVED  SHARES  RESIDENT  SHARED  BALLOONED  SWAPPED  ACTIVE
                vm1          8G        1G    2000      5.9G    300M       1.5G     692M      2G
                vm2          4G        0M    1000        4G      0M         0M       0M    512M""", commands.show(false, "h1"));
        assertEquals("""
                host empty: memory state HIGH (reclaim policy none)
                  total 4G, hypervisor 600M, free 3.4G, saved by sharing 0M
                  configured 0M of 5.1G allowed by overcommit ratio 1.50 (global)
                no VMs hold memory on this host""", commands.show(false, "empty"));
    }

    @Test
    void showJsonHasTheDocumentedFields() throws Exception {
        JsonNode o = new ObjectMapper().readTree(commands.show(true, "h1"));
        assertEquals(List.of("host", "policy", "state", "totalMiB", "hypervisorMiB", "freeMiB", "sharedSavedMiB",
                "overcommitLimitMiB", "cluster", "overcommitRatio", "overcommitSource", "configuredMiB", "vms"), QosCommandsTest.fields(o));
        assertEquals("prod", o.get("cluster").asText());
        assertEquals(1.5, o.get("overcommitRatio").asDouble());
        assertEquals("global", o.get("overcommitSource").asText());
        assertEquals("SOFT", o.get("state").asText());
        assertEquals(900, o.get("freeMiB").asLong());
        assertEquals(12288, o.get("configuredMiB").asLong());
        JsonNode vm1 = o.get("vms").get(0);
        assertEquals(List.of("vm", "configuredMiB", "reservedMiB", "shares", "residentMiB", "sharedMiB", "balloonedMiB",
                "swappedMiB", "activeMiB"), QosCommandsTest.fields(vm1));
        assertEquals(1500, vm1.get("balloonedMiB").asLong());
        assertEquals(692, vm1.get("swappedMiB").asLong());
    }

    @Test
    void setChangesOnlyWhatIsGiven() {
        vms.create(VmSpec.of("vm1", 2, 4096).withMemory(new MemoryQos(512, 1000)), "h1");
        assertEquals("vm1: memory reservation 1G of 4G, shares 1000 (DEFINED on h1)", commands.set("1G", "", "vm1"));
        assertEquals(new MemoryQos(1024, 1000), vms.vm("vm1").spec().memory());
        commands.set("", "3000", "vm1");
        assertEquals(new MemoryQos(1024, 3000), vms.vm("vm1").spec().memory());
    }

    @Test
    void setRefusesBadOrMissingValuesBeforeCallingTheService() {
        vms.create(VmSpec.of("vm1", 2, 4096), "h1");
        vms.calls.clear();
        InvalidSpecException none = assertThrows(InvalidSpecException.class, () -> commands.set("", "", "vm1"));
        assertEquals("memory: null is not allowed; expected at least one of --reservation and --shares"
                + " (mem:set VM [--reservation SIZE] [--shares N])", none.getMessage());
        assertEquals("memory.reservationMiB", assertThrows(InvalidSpecException.class, () -> commands.set("lots", "", "vm1")).field());
        assertEquals("memory.shares", assertThrows(InvalidSpecException.class, () -> commands.set("", "-5", "vm1")).field());
        assertEquals(List.of(), vms.calls);
    }

    // ---- overcommit ------------------------------------------------------------------------

    @Test
    void showSaysWhichRatioAppliesToTheHostAndWhereItComesFrom() throws Exception {
        qos.overcommit = new OvercommitSettings(1.5, false, Map.of("prod", 2.0), List.of());
        assertTrue(commands.show(false, "h1").contains("\n  configured 12G of 22.3G allowed by overcommit ratio 2.00 (cluster prod)\n"));
        assertTrue(commands.show(false, "empty").contains("allowed by overcommit ratio 1.50 (global)"), "cluster default has none");
        JsonNode o = new ObjectMapper().readTree(commands.show(true, "h1"));
        assertEquals(2.0, o.get("overcommitRatio").asDouble());
        assertEquals("cluster", o.get("overcommitSource").asText());
        qos.overcommit = new OvercommitSettings(1.25, true, Map.of("prod", 2.0), List.of());
        assertTrue(commands.show(false, "empty").contains("allowed by overcommit ratio 1.25 (global)"));
        assertEquals(List.of(), qos.changes(), "showing changes nothing");
    }

    @Test
    void overcommitWithoutArgumentsListsTheGlobalRatioThenEveryClusterWithItsHosts() {
        assertEquals("""
                global overcommit ratio 1.50 (default)
                CLUSTER  RATIO  FROM    HOSTS
                default   1.50  global  empty
                prod      1.50  global  h1, h2""", commands.overcommit(false, "", false));
        qos.overcommit = new OvercommitSettings(1.2, true, Map.of("prod", 2.0, "lab", 0.8), List.of(
                "org.vireo.core.clusterOvercommit: 'gold=abc' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a ratio from "
                        + "0.1 to 100.0; the entry is ignored"));
        assertEquals("""
                global overcommit ratio 1.20
                CLUSTER  RATIO  FROM     HOSTS
                default   1.20  global   empty
                lab       0.80  cluster  -
                prod      2.00  cluster  h1, h2
                ignored: org.vireo.core.clusterOvercommit: 'gold=abc' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a \
                ratio from 0.1 to 100.0; the entry is ignored""", commands.overcommit(false, "", false));
        assertEquals(List.of(), qos.changes());
    }

    @Test
    void overcommitJsonHasTheDocumentedFields() throws Exception {
        qos.overcommit = new OvercommitSettings(1.5, false, Map.of("prod", 2.0), List.of("org.vireo.core.clusterOvercommit: 'lab=x' "
                + "is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0) with a ratio from 0.1 to 100.0; the entry is ignored"));
        JsonNode o = new ObjectMapper().readTree(commands.overcommit(true, "", false));
        assertEquals(List.of("globalRatio", "globalConfigured", "clusters", "ignored"), QosCommandsTest.fields(o));
        assertEquals(1.5, o.get("globalRatio").asDouble());
        assertFalse(o.get("globalConfigured").asBoolean());
        assertEquals(2, o.get("clusters").size());
        JsonNode prod = o.get("clusters").get(1);
        assertEquals(List.of("cluster", "ratio", "source", "hosts"), QosCommandsTest.fields(prod));
        assertEquals("prod", prod.get("cluster").asText());
        assertEquals(2.0, prod.get("ratio").asDouble());
        assertEquals("cluster", prod.get("source").asText());
        assertEquals("[\"h1\",\"h2\"]", prod.get("hosts").toString());
        assertEquals("global", o.get("clusters").get(0).get("source").asText());
        assertEquals(1, o.get("ignored").size());
        assertTrue(o.get("ignored").get(0).asText().startsWith("org.vireo.core.clusterOvercommit: 'lab=x' is not allowed"));
    }

    @Test
    void overcommitAsksCoreToSetOrRemoveAClustersRatioAndSaysWhatChanged() {
        qos.overcommit = new OvercommitSettings(1.5, false, Map.of("lab", 0.8, "prod", 1.1), List.of());
        assertEquals("cluster prod: overcommit ratio 2.00 (was 1.10); hosts: h1, h2; core applies it from the next admission",
                commands.overcommit(false, " prod ", false, " 2 "));
        assertEquals("cluster gold: overcommit ratio 3.00 (was 1.50, the global ratio); hosts: none yet; core applies it from the "
                + "next admission", commands.overcommit(false, "gold", false, "3"));
        assertEquals("cluster prod: overcommit ratio 1.50 (the global ratio) (was 2.00); hosts: h1, h2; core applies it from the next "
                + "admission", commands.overcommit(false, "prod", true));
        assertEquals(List.of("setOvercommit prod 2", "setOvercommit gold 3", "setOvercommit prod null"), qos.changes());
    }

    @Test
    void overcommitAsksCoreToSetOrResetTheGlobalRatio() throws Exception {
        qos.overcommit = new OvercommitSettings(1.5, false, Map.of("prod", 2.0), List.of());
        assertEquals("global overcommit ratio 1.75 (was 1.50), for every host whose cluster has no ratio of its own; core applies it "
                + "from the next admission", commands.overcommit(false, "", false, "1.75"));
        assertEquals("global overcommit ratio 1.50 (default) (was 1.75), for every host whose cluster has no ratio of its own; core "
                + "applies it from the next admission", commands.overcommit(false, "", true));
        JsonNode after = new ObjectMapper().readTree(commands.overcommit(true, "", false, "1.25"));
        assertEquals(1.25, after.get("globalRatio").asDouble());
        assertTrue(after.get("globalConfigured").asBoolean());
        assertEquals("cluster", after.get("clusters").get(1).get("source").asText(), "the clusters' ratios are left as they were");
        assertEquals(List.of("setOvercommit null 1.75", "setOvercommit null null", "setOvercommit null 1.25"), qos.changes());
    }

    @Test
    void overcommitPassesCoresRefusalOnUnchanged() {
        InvalidSpecException refused = new InvalidSpecException("org.vireo.core.overcommitRatio", "abc", "a number from 0.1 to 100.0");
        qos.refusal = refused;
        assertSame(refused, assertThrows(InvalidSpecException.class, () -> commands.overcommit(false, "", false, "abc")));
        assertSame(refused, assertThrows(InvalidSpecException.class, () -> commands.overcommit(true, "no such", false, "2")));
        assertEquals(List.of("setOvercommit null abc", "setOvercommit no such 2"), qos.changes());
    }

    @Test
    void overcommitRefusesArgumentsThatAreNoSingleRatioOrUnsetBeforeAskingCore() {
        assertEquals("ratio: '2 3' is not allowed; expected one RATIO or --unset (mem:overcommit [--json] [--cluster NAME] "
                + "[RATIO | --unset])", assertThrows(InvalidSpecException.class, () -> commands.overcommit(false, "", false, "2", "3"))
                .getMessage());
        assertEquals("ratio", assertThrows(InvalidSpecException.class, () -> commands.overcommit(false, "prod", true, "2")).field());
        assertEquals("ratio: null is not allowed; expected a RATIO or --unset after --cluster prod (mem:overcommit [--json] "
                + "[--cluster NAME] [RATIO | --unset])", assertThrows(InvalidSpecException.class,
                        () -> commands.overcommit(false, "prod", false)).getMessage());
        assertEquals("option", assertThrows(InvalidSpecException.class, () -> commands.overcommit(false, "", false, "--ratio", "2"))
                .field());
        assertEquals(List.of(), qos.changes());
    }
}
