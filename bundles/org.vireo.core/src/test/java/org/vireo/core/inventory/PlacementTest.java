package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.CpuModel;
import org.vireo.api.model.DatastoreSpec;
import org.vireo.api.model.DiskFormat;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;

class PlacementTest {
    private static final TypeProfile PROFILE = new FakeType(HypervisorKind.HYBRID, 0, 1024, 0).profile(null);

    private static Placement.Candidate host(String name, long memoryMiB, long allocated, String... datastores) {
        List<DatastoreSpec> stores = datastores.length == 0 ? List.of(DatastoreSpec.LOCAL)
                : java.util.Arrays.stream(datastores).map(d -> new DatastoreSpec(d, 100, 100, true)).toList();
        HostSpec spec = new HostSpec(name, "c", 4, 2000, memoryMiB, HypervisorKind.HYBRID, "sim", CpuModel.DEFAULT, stores, 1000);
        return new Placement.Candidate(spec, PROFILE, allocated);
    }

    @Test
    void mostUnallocatedMemoryWinsAndTiesGoToTheFirstName() {
        VmSpec vm = VmSpec.of("vm", 1, 512);
        assertEquals("b", Placement.choose(List.of(host("a", 8192, 0), host("b", 16384, 4096), host("c", 8192, 2048)), vm)
                .orElseThrow().host().name());
        assertEquals("a", Placement.choose(List.of(host("b", 8192, 0), host("a", 8192, 0)), vm).orElseThrow().host().name());
        assertEquals(7168 - 1000, host("x", 8192, 1000).unallocatedMiB(), "the type's reservation is not allocatable");
    }

    @Test
    void onlyHostsWithEveryDatastoreOfTheDisksQualify() {
        VmSpec vm = VmSpec.of("vm", 1, 512).withDisks(List.of(new DiskSpec("d", 10, "san", DiskFormat.RAW, null, true)));
        assertEquals("small", Placement.choose(List.of(host("big", 65536, 0), host("small", 4096, 0, "local", "san")), vm)
                .orElseThrow().host().name());
        assertTrue(Placement.choose(List.of(host("big", 65536, 0)), vm).isEmpty());
        assertTrue(Placement.choose(List.of(), VmSpec.of("vm", 1, 512)).isEmpty());
    }
}
