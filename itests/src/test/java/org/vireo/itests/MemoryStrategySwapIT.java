package org.vireo.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.WorkloadSpec;

/**
 * Each memory bundle (the three reuse strategies and the reclaim policy) is hot-swapped (a
 * bundle update: a new revision replaces the running one) and then uninstalled and installed
 * again while an overcommitted host has pages in every location (shared, ballooned, swapped).
 * The guests' pages are the hypervisor's, not the strategy's: at the instant of each swap the
 * page account is exactly what it was (the clock is in batch pacing, so nothing else moves),
 * and while a strategy is absent every VM's pages still add up to its memory, with the pages it
 * had placed left where they were.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MemoryStrategySwapIT extends SimTestSupport {
    private static final String HOST = "swapping";

    @Test
    public void hotSwappingOrUninstallingAnyMemoryBundleLosesNoGuestPage() throws Exception {
        hosts.addHost(HostSpec.of(HOST, 8, 2400, 4096, HypervisorKind.HYBRID));
        for (String name : List.of("desk-1", "desk-2", "desk-3")) {
            vms.create(vm(name, "desktop", 1024), HOST);
        }
        vms.create(vm("lazy", "idle", 1024), HOST);
        vms.create(vm("db", "db", 512), HOST);
        for (String name : List.of("desk-1", "desk-2", "desk-3", "lazy", "db")) {
            vms.start(name);
        }
        run("8s");
        JsonNode start = pages(HOST);
        assertTrue("pages are shared: " + start, total(start, "shared") > 0);
        assertTrue("pages are ballooned: " + start, total(start, "ballooned") > 0);
        assertTrue("pages are swapped: " + start, total(start, "swapped") > 0);

        for (String symbolicName : List.of("org.vireo.memory.sharing", "org.vireo.memory.balloon", "org.vireo.memory.swap",
                "org.vireo.memory.reclaim")) {
            swapAndRemove(symbolicName);
        }
        JsonNode end = pages(HOST);
        assertEquals(5, end.get("vms").size());
    }

    private void swapAndRemove(String symbolicName) throws BundleException {
        Bundle bundle = bundle(symbolicName);
        String name = serviceName(symbolicName);
        BooleanSupplier present = () -> isPresent(symbolicName, name);
        assertTrue(symbolicName + " serves", present.getAsBoolean());

        JsonNode before = pages(HOST);
        bundle.update();
        await(symbolicName + " serves again after its update", present);
        assertEquals("hot-swapping " + symbolicName + " moved no page", before, pages(HOST));
        run("3s");
        pages(HOST);

        JsonNode held = pages(HOST);
        String location = bundle.getLocation();
        bundle.uninstall();
        await(symbolicName + " is gone", () -> !isPresent(symbolicName, name));
        assertEquals("uninstalling " + symbolicName + " moved no page", held, pages(HOST));

        for (int second = 0; second < 5; second++) {
            run("1s");
            JsonNode now = pages(HOST);
            for (JsonNode vm : now.get("vms")) {
                JsonNode was = vmPages(held, vm.get("vm").asText());
                switch (symbolicName) {
                    case "org.vireo.memory.balloon" -> assertEquals("without a balloon strategy no balloon moves",
                            location(was, "ballooned"), location(vm, "ballooned"));
                    case "org.vireo.memory.swap" -> assertTrue("without a swap strategy nothing is swapped out",
                            location(vm, "swapped") <= location(was, "swapped"));
                    case "org.vireo.memory.sharing" -> assertTrue("without a sharing strategy nothing is merged",
                            location(vm, "shared") <= location(was, "shared"));
                    default -> assertEquals("without a reclaim policy nothing is ballooned",
                            location(was, "ballooned"), location(vm, "ballooned"));
                }
            }
        }

        Bundle again = context.installBundle(location);
        again.start();
        await(symbolicName + " serves again after it is installed again", present);
        run("3s");
        pages(HOST);
    }

    private boolean isPresent(String symbolicName, String name) {
        if (symbolicName.endsWith(".reclaim")) {
            return policies.list().stream().anyMatch(p -> p.family() == PolicyFamily.MEMORY && p.name().equals(name) && p.active());
        }
        return policies.list().stream().anyMatch(p -> p.family() == PolicyFamily.MEMORY_STRATEGY && p.name().equals(name));
    }

    private static String serviceName(String symbolicName) {
        return switch (symbolicName) {
            case "org.vireo.memory.sharing" -> "sharing";
            case "org.vireo.memory.balloon" -> "balloon";
            case "org.vireo.memory.swap" -> "swap";
            default -> "idle-tax";
        };
    }

    private static long total(JsonNode account, String location) {
        long n = 0;
        for (JsonNode vm : account.get("vms")) {
            n += location(vm, location);
        }
        return n;
    }

    private static long location(JsonNode vm, String location) {
        return vm.get("byLocation").get(location).asLong();
    }

    private static VmSpec vm(String name, String workload, long memoryMiB) {
        return new VmSpec(name, 1, memoryMiB, CpuQos.DEFAULT, MemoryQos.DEFAULT, List.of(), List.of(), WorkloadSpec.parse(workload),
                "windows-11");
    }
}
