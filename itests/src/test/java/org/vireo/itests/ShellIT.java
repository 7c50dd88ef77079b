package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.model.InvalidSpecException;

/** The shell's commands, run through the Gogo runtime as a person or a script runs them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends VireoTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CommandSession session;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Before
    public void openSession() {
        PolicyService policies = service(PolicyService.class);
        await("the sim hypervisor and the hybrid type", policies::list, l -> policies.named(Hypervisor.class, "sim").isPresent()
                && policies.named(HypervisorType.class, "hybrid").isPresent());
        await("the vm commands", () -> {
            try {
                return context.getServiceReferences((String) null, "(osgi.command.scope=vm)") != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        session = service(CommandProcessor.class).createSession(new ByteArrayInputStream(new byte[0]), print, print);
    }

    @After
    public void closeSession() {
        session.close();
    }

    @Test
    public void hostAndVmCommandsAnswerJsonWithTheDocumentedFields() throws Exception {
        JsonNode host = json("host:add sh-h1 --cpus 8 --mhz 2.4GHz --mem 32G --type hybrid --json");
        assertEquals("sh-h1", host.get("name").asText());
        assertEquals("hybrid", host.get("type").asText());
        assertEquals("sim", host.get("hypervisor").asText());
        assertEquals(8, host.get("cores").asInt());
        assertEquals(2400, host.get("mhzPerCore").asLong());
        assertEquals(32 * 1024, host.get("memoryMiB").asLong());
        assertTrue(host.get("attached").asBoolean());

        JsonNode created = json("vm:create sh-web --vcpus 2 --mem 1G --host sh-h1 --cpu-limit 2GHz --cpu-shares 2000"
                + " --disk 10G --disk name=data,size=20G,format=raw --workload web --json");
        assertEquals("DEFINED", created.get("state").asText());
        assertEquals(2000, created.get("cpuLimitMhz").asLong());
        assertEquals(2, created.get("disks").size());
        assertEquals("raw", created.get("disks").get(1).get("format").asText());

        assertTrue(text("vm:start sh-web").startsWith("sh-web "));
        JsonNode list = json("vm:list --json");
        JsonNode web = null;
        for (JsonNode vm : list) {
            if (vm.get("name").asText().equals("sh-web")) {
                web = vm;
            }
        }
        assertNotNull("sh-web listed: " + list, web);
        for (String field : new String[] {"name", "state", "host", "vcpus", "memoryMiB", "cpuLimitMhz", "cpuReservationMhz",
            "cpuShares", "memReservationMiB", "memShares", "workload", "image", "disks"}) {
            assertTrue(field + " in " + web, web.has(field));
        }
        assertEquals("sh-h1", web.get("host").asText());
        assertEquals("web", web.get("workload").asText());
        assertEquals(2000, web.get("cpuShares").asInt());

        await("sh-web running", () -> json("vm:info --json sh-web").get("state").asText(), "RUNNING"::equals);
        JsonNode info = json("vm:info --json sh-web");
        assertTrue(info.get("live").asBoolean());
        assertTrue(info.has("cpuEntitledMhz"));
        assertTrue(info.get("directory").asText().startsWith(context.getProperty("vireo.data")));
    }

    @Test
    public void policyListShowsEveryFamilyAndPolicyUseSwaps() throws Exception {
        JsonNode families = json("policy:list --json");
        assertEquals(7, families.size());
        JsonNode cpu = families.get(0);
        assertEquals("cpu", cpu.get("family").asText());
        assertTrue(cpu.get("singleActive").asBoolean());
        assertTrue("a CPU policy is installed: " + cpu, cpu.get("implementations").size() > 0);
        String other = null;
        for (JsonNode impl : cpu.get("implementations")) {
            if (!impl.get("active").asBoolean()) {
                other = impl.get("name").asText();
            }
        }
        if (other != null) {
            text("policy:use cpu " + other);
            JsonNode after = json("policy:list --json").get(0);
            assertEquals(other, after.get("configured").asText());
            assertEquals(other, after.get("active").get(0).asText());
        }
        JsonNode events = json("events --json --last 50");
        assertTrue(events.isArray());
    }

    @Test
    public void badInputFailsNamingTheFieldAndChangesNothing() throws Exception {
        int before = service(VmAdminService.class).vms().size();

        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> session.execute("vm:create sh-bad --vcpus 0 --mem 1G"));

        assertTrue(e.getMessage(), e.getMessage().contains("vcpus"));
        assertEquals(before, service(VmAdminService.class).vms().size());
    }

    private JsonNode json(String command) {
        try {
            return JSON.readTree(text(command));
        } catch (Exception e) {
            throw new AssertionError("'" + command + "' did not answer JSON: " + e.getMessage(), e);
        }
    }

    private String text(String command) throws Exception {
        Object result = session.execute(command);
        return result == null ? "" : result.toString();
    }
}
