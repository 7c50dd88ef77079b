package org.vireo.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.inventory.AdmissionException;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * Memory admission on bare-metal hosts of the simulated hypervisor, where Dom0 keeps part of
 * the host's memory: the configured memory of a host's active VMs may reach its overcommit ratio
 * (1.5 unless configured) × its usable memory (host memory less Dom0's), and their reservations
 * the usable memory itself. A refused start or reservation change names the numbers and changes
 * nothing. A cluster's own ratio, set with {@code mem:overcommit}, applies to its hosts only and
 * from the next admission. The sim's clock is in batch pacing, so nothing moves between checks.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MemoryAdmissionIT extends SimTestSupport {
    private static final String CORE_PID = "org.vireo.core";
    /** A bare-metal host of 4 GiB: Dom0 keeps a quarter of it at most. */
    private static final long HOST_MIB = 4096;
    private static final long VM_MIB = 1024;

    private ConfigurationAdmin admin;
    /** Core's configuration before the test, or {@code null} when it had none. */
    private Map<String, Object> original;
    /** The same, as ConfigAdmin handed it over, to put it back. */
    private Dictionary<String, Object> originalProperties;

    /** ConfigAdmin, core's configuration as it was, and the mem commands. */
    @Before
    public void rememberCoresConfiguration() throws Exception {
        admin = service(ConfigurationAdmin.class);
        original = coreConfiguration();
        Configuration found = find();
        originalProperties = found == null || found.getProperties() == null ? new Hashtable<>() : found.getProperties();
        await("the mem commands", () -> {
            try {
                return context.getServiceReferences((String) null, "(osgi.command.scope=mem)") != null;
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Puts core's configuration back if a test left it changed (a test restores it itself when it passes). */
    @After
    public void restoreCoresConfiguration() throws Exception {
        if (!asItWas(coreConfiguration())) {
            admin.getConfiguration(CORE_PID, "?").update(originalProperties);
        }
    }

    /**
     * Starting VMs of 1 GiB on a bare-metal host until the next one would take the configured
     * memory above 1.5 × the usable memory: that start is refused, through the service and the
     * shell alike, with the MiB asked, what is left, the limit, the ratio and the host's memory,
     * and the VM stays defined, its definition untouched.
     */
    @Test
    public void aStartBeyondOneAndAHalfTimesTheUsableMemoryIsRefusedWithTheNumbersAndTheVmStaysDefined() throws Exception {
        Host host = bareMetal(HostSpec.of("ma-bare", 4, 2400, HOST_MIB, HypervisorKind.BAREMETAL));
        JsonNode shown = json("mem:show --json ma-bare");
        assertEquals(host.limit(1.5), shown.get("overcommitLimitMiB").asLong());
        assertEquals(1.5, shown.get("overcommitRatio").asDouble(), 0);
        assertEquals("global", shown.get("overcommitSource").asText());

        long configured = fill("ma-bare", 1.5 * host.usable());
        assertTrue("the host carries more configured memory than it has: " + configured, configured > HOST_MIB - host.reserved());
        vms.create(VmSpec.of("ma-bare-last", 1, VM_MIB), "ma-bare");
        byte[] definition = Files.readAllBytes(vmJson("ma-bare-last"));

        AdmissionException refused = assertThrows(AdmissionException.class, () -> vms.start("ma-bare-last"));

        String expected = "cannot start VM 'ma-bare-last' on host 'ma-bare': memory of " + VM_MIB + " MiB asked, "
                + (host.limit(1.5) - configured) + " MiB left of " + host.limit(1.5) + " MiB allowed (global overcommit ratio 1.50 x "
                + host.usable() + " MiB usable of " + HOST_MIB + " MiB host memory; active VMs have " + configured + " MiB)";
        assertEquals(expected, refused.getMessage());
        assertEquals(expected, cause("vm:start ma-bare-last", AdmissionException.class).getMessage());
        VmView last = vms.vm("ma-bare-last");
        assertEquals(VmState.DEFINED, last.state());
        assertNull("no hypervisor holds it", last.live());
        assertArrayEquals(definition, Files.readAllBytes(vmJson("ma-bare-last")));
        assertEquals(configured, json("mem:show --json ma-bare").get("configuredMiB").asLong());
    }

    /**
     * Reservations must fit the usable memory, not the host's: with Dom0's part subtracted, a
     * reservation that would fit the host's memory is refused, on start and on a running VM's
     * {@code mem:set --reservation}, with the numbers; the VM's definition is unchanged. What is
     * left exactly still fits.
     */
    @Test
    public void aReservationBeyondTheMemoryDom0LeavesIsRefusedWithTheNumbersOnStartAndThroughMemSet() throws Exception {
        Host host = bareMetal(HostSpec.of("ma-dom0", 4, 2400, HOST_MIB, HypervisorKind.BAREMETAL));
        long held = 2048;
        vms.create(VmSpec.of("ma-held", 1, held).withMemory(new MemoryQos(held, MemoryQos.DEFAULT_SHARES)), "ma-dom0");
        vms.start("ma-held");
        long left = host.usable() - held;
        long asked = left + 512;
        assertTrue("the reservations fit the host's memory but not what Dom0 leaves",
                held + asked <= HOST_MIB && held + asked > host.usable());
        assertTrue("the configured memory fits the overcommit limit", held + 2048 <= host.limit(1.5));
        vms.create(VmSpec.of("ma-more", 1, 2048).withMemory(new MemoryQos(asked, MemoryQos.DEFAULT_SHARES)), "ma-dom0");
        byte[] definition = Files.readAllBytes(vmJson("ma-more"));

        AdmissionException onStart = assertThrows(AdmissionException.class, () -> vms.start("ma-more"));

        assertEquals("cannot start VM 'ma-more' on host 'ma-dom0': memory reservation of " + asked + " MiB asked, " + left
                + " MiB unreserved of " + host.usable() + " MiB usable (" + HOST_MIB + " MiB host memory less " + host.reserved()
                + " MiB for the hypervisor; active VMs reserve " + held + " MiB)", onStart.getMessage());
        assertEquals(VmState.DEFINED, vms.vm("ma-more").state());
        assertArrayEquals(definition, Files.readAllBytes(vmJson("ma-more")));

        vms.create(VmSpec.of("ma-run", 1, 1536), "ma-dom0");
        vms.start("ma-run");
        run("1s");
        VmView before = vms.vm("ma-run");
        assertEquals(VmState.RUNNING, before.state());
        byte[] running = Files.readAllBytes(vmJson("ma-run"));

        AdmissionException onSet = cause("mem:set ma-run --reservation " + (left + 1) + "M", AdmissionException.class);

        assertEquals("cannot change the memory QoS of VM 'ma-run' on host 'ma-dom0': memory reservation of " + (left + 1)
                + " MiB asked, " + left + " MiB unreserved of " + host.usable() + " MiB usable (" + HOST_MIB + " MiB host memory less "
                + host.reserved() + " MiB for the hypervisor; active VMs reserve " + held + " MiB)", onSet.getMessage());
        VmView after = vms.vm("ma-run");
        assertEquals(before.spec(), after.spec());
        assertEquals("the hypervisor was not reconfigured", before.live().spec(), after.live().spec());
        assertArrayEquals(running, Files.readAllBytes(vmJson("ma-run")));
        assertEquals(0, reservedMiB("ma-dom0", "ma-run"));

        text("mem:set ma-run --reservation " + left + "M");
        assertEquals("what is left exactly fits", left, vms.vm("ma-run").spec().memory().reservationMiB());
        assertEquals(left, reservedMiB("ma-dom0", "ma-run"));
    }

    /**
     * Two hosts alike, full at the global ratio, in two clusters: {@code mem:overcommit --cluster
     * C 2.0} lets the host of cluster C admit the VM both refused, while the other still refuses
     * it; {@code mem:show} follows with the limit, the ratio and where it comes from. Unset
     * again, the configuration is as it was.
     */
    @Test
    public void aClustersOwnRatioAdmitsOnItsHostsWhatTheGlobalOneRefusesWhileAnotherClusterStillRefuses() throws Exception {
        Host gold = bareMetal(HostSpec.of("ma-gold-1", 4, 2400, HOST_MIB, HypervisorKind.BAREMETAL).withCluster("ma-gold"));
        Host plain = bareMetal(HostSpec.of("ma-plain-1", 4, 2400, HOST_MIB, HypervisorKind.BAREMETAL).withCluster("ma-plain"));
        long configured = fill("ma-gold-1", 1.5 * gold.usable());
        assertEquals(configured, fill("ma-plain-1", 1.5 * plain.usable()));
        for (String name : List.of("ma-gold-1", "ma-plain-1")) {
            vms.create(VmSpec.of(name + "-next", 1, VM_MIB), name);
            assertThrows(AdmissionException.class, () -> vms.start(name + "-next"));
        }
        assertTrue("2.0 makes room for one more", configured + VM_MIB <= gold.limit(2.0));

        assertEquals("cluster ma-gold: overcommit ratio 2.00 (was 1.50, the global ratio); hosts: ma-gold-1; core applies it from "
                + "the next admission", text("mem:overcommit --cluster ma-gold 2.0"));

        JsonNode goldShown = await("core applying the ratio of ma-gold", () -> json("mem:show --json ma-gold-1"),
                o -> o.get("overcommitLimitMiB").asLong() == gold.limit(2.0));
        assertEquals(2.0, goldShown.get("overcommitRatio").asDouble(), 0);
        assertEquals("cluster", goldShown.get("overcommitSource").asText());
        assertEquals("ma-gold", goldShown.get("cluster").asText());
        JsonNode plainShown = json("mem:show --json ma-plain-1");
        assertEquals(plain.limit(1.5), plainShown.get("overcommitLimitMiB").asLong());
        assertEquals("global", plainShown.get("overcommitSource").asText());
        assertTrue(text("mem:show ma-gold-1"), text("mem:show ma-gold-1").contains("allowed by overcommit ratio 2.00 (cluster ma-gold)"));
        assertTrue(text("mem:show ma-plain-1"), text("mem:show ma-plain-1").contains("allowed by overcommit ratio 1.50 (global)"));
        JsonNode ratios = json("mem:overcommit --json");
        assertEquals(1.5, ratios.get("globalRatio").asDouble(), 0);
        assertEquals("{\"cluster\":\"ma-gold\",\"ratio\":2.0,\"source\":\"cluster\",\"hosts\":[\"ma-gold-1\"]}",
                cluster(ratios, "ma-gold").toString());
        assertEquals("{\"cluster\":\"ma-plain\",\"ratio\":1.5,\"source\":\"global\",\"hosts\":[\"ma-plain-1\"]}",
                cluster(ratios, "ma-plain").toString());

        assertTrue(vms.start("ma-gold-1-next").state().isActive());
        AdmissionException plainRefused = assertThrows(AdmissionException.class, () -> vms.start("ma-plain-1-next"));
        assertTrue(plainRefused.getMessage(), plainRefused.getMessage().contains("allowed (global overcommit ratio 1.50 x "));
        assertEquals(VmState.DEFINED, vms.vm("ma-plain-1-next").state());
        long goldConfigured = configured + VM_MIB;
        vms.create(VmSpec.of("ma-gold-1-big", 1, 2048), "ma-gold-1");
        AdmissionException beyond = assertThrows(AdmissionException.class, () -> vms.start("ma-gold-1-big"));
        assertEquals("cannot start VM 'ma-gold-1-big' on host 'ma-gold-1': memory of 2048 MiB asked, "
                + (gold.limit(2.0) - goldConfigured) + " MiB left of " + gold.limit(2.0) + " MiB allowed (overcommit ratio 2.00 of "
                + "cluster 'ma-gold' x " + gold.usable() + " MiB usable of " + HOST_MIB + " MiB host memory; active VMs have "
                + goldConfigured + " MiB)", beyond.getMessage());

        text("mem:overcommit --cluster ma-gold --unset");
        await("core applying the global ratio to ma-gold again", () -> json("mem:show --json ma-gold-1"),
                o -> o.get("overcommitLimitMiB").asLong() == gold.limit(1.5));
        assertEquals("global", cluster(json("mem:overcommit --json"), "ma-gold").get("source").asText());
        Map<String, Object> restored = coreConfiguration();
        assertTrue("core's configuration is as it was: " + restored + " (was " + original + ")", asItWas(restored));
    }

    /**
     * A ratio out of range or not a number, for the global ratio or a cluster's, is refused by
     * the shell with the field and the allowed range before anything is written: core's
     * configuration, the ratios shown and the limits admission uses stay as they were.
     */
    @Test
    public void badRatiosFromTheShellAreRefusedNamingTheFieldAndTheRangeAndChangeNothing() throws Exception {
        Host host = bareMetal(HostSpec.of("ma-bad", 4, 2400, HOST_MIB, HypervisorKind.BAREMETAL).withCluster("ma-bad"));
        Map<String, Object> configuration = coreConfiguration();
        long changes = changeCount();
        String ratios = json("mem:overcommit --json").toString();
        JsonNode shown = json("mem:show --json ma-bad");

        for (String bad : List.of("0", "1000", "abc")) {
            InvalidSpecException global = cause("mem:overcommit " + bad, InvalidSpecException.class);
            assertEquals("org.vireo.core.overcommitRatio", global.field());
            assertEquals("org.vireo.core.overcommitRatio: '" + bad + "' is not allowed; expected a number from 0.1 to 100.0",
                    global.getMessage());
            InvalidSpecException cluster = cause("mem:overcommit --cluster ma-bad " + bad, InvalidSpecException.class);
            assertEquals("org.vireo.core.clusterOvercommit: 'ma-bad=" + bad + "' is not allowed; expected CLUSTER=RATIO (e.g. prod=2.0)"
                    + " with a ratio from 0.1 to 100.0", cluster.getMessage());
        }

        assertEquals(configuration, coreConfiguration());
        assertEquals("ConfigAdmin was not asked to change anything", changes, changeCount());
        assertEquals(ratios, json("mem:overcommit --json").toString());
        assertEquals(shown, json("mem:show --json ma-bad"));
        assertEquals(host.limit(1.5), shown.get("overcommitLimitMiB").asLong());
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A host with the memory its hypervisor type (Dom0 on bare metal) keeps. */
    private record Host(long memory, long reserved) {
        long usable() {
            return memory - reserved;
        }

        long limit(double ratio) {
            return (long) Math.floor(ratio * usable());
        }
    }

    private Host bareMetal(HostSpec spec) {
        hosts.addHost(spec);
        TypeProfile profile = hosts.host(spec.name()).profile();
        assertNotNull(spec.name() + " is attached", profile);
        assertEquals("Dom0", profile.privilegedDomain());
        assertTrue("Dom0 keeps memory: " + profile.reservedMemoryMiB(), profile.reservedMemoryMiB() > 0);
        return new Host(spec.memoryMiB(), profile.reservedMemoryMiB());
    }

    /**
     * Starts VMs of 1 GiB on a host as long as they fit {@code limit}.
     *
     * @return the configured memory of the VMs started
     */
    private long fill(String host, double limit) {
        long configured = 0;
        for (int i = 1; configured + VM_MIB <= limit; i++) {
            String name = host + "-vm" + i;
            vms.create(VmSpec.of(name, 1, VM_MIB), host);
            assertTrue(name + " starts", vms.start(name).state().isActive());
            configured += VM_MIB;
        }
        return configured;
    }

    /** @return what a shell command failed with, after checking its type */
    private <T extends Throwable> T cause(String command, Class<T> type) {
        AssertionError failed = assertThrows(AssertionError.class, () -> text(command));
        assertTrue("'" + command + "' failed with " + failed.getCause(), type.isInstance(failed.getCause()));
        return type.cast(failed.getCause());
    }

    private long reservedMiB(String host, String vm) {
        for (JsonNode row : json("mem:show --json " + host).get("vms")) {
            if (row.get("vm").asText().equals(vm)) {
                return row.get("reservedMiB").asLong();
            }
        }
        throw new AssertionError(vm + " holds no memory on " + host);
    }

    private static JsonNode cluster(JsonNode ratios, String name) {
        for (JsonNode c : ratios.get("clusters")) {
            if (c.get("cluster").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no cluster " + name + " in " + ratios);
    }

    private Path vmJson(String vm) {
        return Path.of(context.getProperty("vireo.data")).resolve("vms").resolve(vm).resolve("vm.json");
    }

    /** @return core's configuration without what ConfigAdmin sets, or {@code null} when it has none */
    private Map<String, Object> coreConfiguration() throws IOException, InvalidSyntaxException {
        Configuration found = find();
        Dictionary<String, Object> properties = found == null ? null : found.getProperties();
        if (properties == null) {
            return null;
        }
        Map<String, Object> copy = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (!key.equals("service.pid")) {
                Object value = properties.get(key);
                copy.put(key, value instanceof Object[] array ? List.of(array) : value);
            }
        }
        return copy;
    }

    /** @return whether core's configuration is as before the test (none and an empty one are alike to core) */
    private boolean asItWas(Map<String, Object> now) {
        return Objects.equals(now, original) || (original == null && now != null && now.isEmpty());
    }

    private long changeCount() throws IOException, InvalidSyntaxException {
        Configuration found = find();
        return found == null ? -1 : found.getChangeCount();
    }

    private Configuration find() throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations("(service.pid=" + CORE_PID + ")");
        return found == null || found.length == 0 ? null : found[0];
    }
}
