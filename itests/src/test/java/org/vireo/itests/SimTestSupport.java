package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorType;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.VmState;

/**
 * What the tests of the simulated hypervisor share: the simulation in batch pacing, so that its
 * clock moves only with {@code sim:run} and every figure is a deterministic function of the
 * steps taken; a shell session for the {@code sim:*} commands; and readers for the live figures
 * and the page account ({@code sim:pages --json}).
 */
public abstract class SimTestSupport extends VireoTestSupport {
    /** The sim hypervisor's configuration PID. */
    protected static final String SIM_PID = "org.vireo.hypervisor.sim";
    /** Pages in one MiB. */
    protected static final long MIB = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    protected HostAdminService hosts;
    protected VmAdminService vms;
    protected PolicyService policies;
    private CommandSession session;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Core's services, the sim hypervisor and its commands, batch pacing with 1 s intervals, a session. */
    @Before
    public void simulationInBatchPacing() throws Exception {
        hosts = service(HostAdminService.class);
        vms = service(VmAdminService.class);
        policies = service(PolicyService.class);
        await("the sim hypervisor and the three hypervisor types", () -> policies.named(Hypervisor.class, "sim").isPresent()
                && policies.named(HypervisorType.class, "hybrid").isPresent()
                && policies.named(HypervisorType.class, "baremetal").isPresent()
                && policies.named(HypervisorType.class, "hosted").isPresent());
        await("the sim commands", () -> commands("(osgi.command.scope=sim)"));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        session = service(CommandProcessor.class).createSession(new ByteArrayInputStream(new byte[0]), print, print);
        Configuration sim = service(ConfigurationAdmin.class).getConfiguration(SIM_PID, "?");
        Dictionary<String, Object> current = sim.getProperties();
        if (current == null || !"batch".equals(current.get("pacing"))) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("pacing", "batch");
            properties.put("intervalMillis", 1000L);
            properties.put("reclaimIntervalMillis", 1000L);
            sim.update(properties);
        }
        await("the simulation in batch pacing", () -> text("sim:speed"), s -> s.contains("pacing batch"));
    }

    /** Closes the session. */
    @After
    public void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    /**
     * Advances the simulated clock; nothing else moves it in batch pacing.
     *
     * @param duration e.g. {@code 30s}
     */
    protected void run(String duration) {
        text("sim:run " + duration);
    }

    /**
     * @param host a host
     * @return its page account, recounted page by page, after checking that every page is accounted for
     */
    protected JsonNode pages(String host) {
        JsonNode account = json("sim:pages --json --audit " + host);
        assertEquals("every page of " + host + " accounted for: " + account.get("problems"), 0, account.get("problems").size());
        for (JsonNode vm : account.get("vms")) {
            assertEquals(vm.get("vm").asText() + ": pages by content and location add up to its memory",
                    vm.get("configuredPages").asLong(), vm.get("totalPages").asLong());
            long byContent = 0;
            for (JsonNode n : vm.get("byContent")) {
                byContent += n.asLong();
            }
            assertEquals(vm.get("configuredPages").asLong(), byContent);
        }
        return account;
    }

    /**
     * @param account a page account
     * @param vm a VM's name
     * @return its part
     */
    protected static JsonNode vmPages(JsonNode account, String vm) {
        for (JsonNode v : account.get("vms")) {
            if (v.get("vm").asText().equals(vm)) {
                return v;
            }
        }
        throw new AssertionError("no VM " + vm + " in the page account of " + account.get("host") + ": " + account);
    }

    /**
     * @param name a VM's name
     * @return its cumulative CPU work in MHz·s, after checking that it runs
     */
    protected double work(String name) {
        VmView vm = vms.vm(name);
        assertEquals(name + " runs", VmState.RUNNING, vm.state());
        assertTrue(name + " has live figures", vm.live() != null);
        return vm.live().cpu().workMhzSeconds();
    }

    /**
     * @param command a shell command
     * @return what it answered, as JSON
     */
    protected JsonNode json(String command) {
        try {
            return JSON.readTree(text(command));
        } catch (Exception e) {
            throw new AssertionError("'" + command + "' did not answer JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a shell command and lets its exception through, for tests of refusals.
     *
     * @param command a shell command
     * @return what it answered
     * @throws Exception what the command threw
     */
    protected Object execute(String command) throws Exception {
        return session.execute(command);
    }

    /**
     * @param command a shell command
     * @return what it answered
     */
    protected String text(String command) {
        try {
            Object result = session.execute(command);
            return result == null ? "" : result.toString();
        } catch (Exception e) {
            throw new AssertionError("'" + command + "' failed: " + e + "; output: " + out.toString(StandardCharsets.UTF_8), e);
        }
    }

    /**
     * @param symbolicName a bundle's symbolic name
     * @return the bundle, not uninstalled
     */
    protected Bundle bundle(String symbolicName) {
        Bundle b = installed(symbolicName);
        if (b == null) {
            throw new AssertionError(symbolicName + " is not installed: " + bundleStates());
        }
        return b;
    }

    /**
     * @param symbolicName a bundle's symbolic name
     * @return the bundle, or {@code null} if none is installed
     */
    protected Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return b;
            }
        }
        return null;
    }

    /**
     * @param filter a service filter, e.g. a command scope
     * @return whether a service matches it
     */
    protected boolean commands(String filter) {
        try {
            return context.getServiceReferences((String) null, filter) != null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
