package org.vireo.hypervisor.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.MemoryQos;

class SimVmTest {
    private static final long PAGES = 64 * 256;

    /** Half zero pages, half random data, no writes: only the zero pages can be merged. */
    private static SimVm vm() {
        return new SimVm(Fixtures.vm("v", 1, 64, "custom:cpu=1,ws=1,dirty=0,zero=0.5,compressible=0"), 1, 0, 100);
    }

    @Test
    void theScannerRestsOnAVmAfterAWholePassMergedNothingUntilItsMemoryChanges() {
        SimVm vm = vm();
        SharingTable sharing = new SharingTable();
        assertEquals(PAGES / 2, vm.shareScan(PAGES, sharing), "the first pass merges the zero pages");
        assertEquals(0, vm.shareScan(PAGES, sharing), "a second pass finds nothing");

        // pages given back by the balloon return as zero pages, behind the VM's back: at rest, not seen
        vm.memory.balloonInflate(100, sharing);
        vm.memory.balloonDeflate(100);
        assertEquals(0, vm.shareScan(PAGES, sharing));

        vm.memoryChanged();
        assertEquals(100, vm.shareScan(PAGES, sharing), "once told of the change the scanner finds them");
        assertEquals("", vm.memory.audit());
    }

    @Test
    void aPartialPassWithoutMergesDoesNotPutTheScannerToRest() {
        SimVm vm = vm();
        SharingTable sharing = new SharingTable();
        // the zero pages are the top half: the lower half, scanned first, merges nothing
        assertEquals(0, vm.shareScan(PAGES / 2, sharing));
        assertEquals(PAGES / 2, vm.shareScan(PAGES / 2, sharing));
    }

    @Test
    void theMemoryViewIsKeptWhileNothingChangesAndReadAfreshAfterAChange() {
        SimVm vm = vm();
        VmMemory first = vm.memoryView();
        assertSame(first, vm.memoryView());
        assertEquals(PAGES, first.residentPages());

        vm.memory.balloonInflate(256, new SharingTable());
        vm.memoryChanged();
        VmMemory after = vm.memoryView();
        assertNotSame(first, after);
        assertEquals(256, after.balloonedPages());
        assertEquals(PAGES - 256, after.residentPages());

        vm.spec = vm.spec.withMemory(new MemoryQos(32, 500));
        vm.memoryChanged();
        assertEquals(32 * 256, vm.memoryView().reservedPages());
        assertEquals(500, vm.memoryView().shares());
    }
}
