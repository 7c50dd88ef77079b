package org.vireo.core.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.inventory.EventCategory;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.model.VmState;

class AttacherTest {
    @TempDir
    Path dir;

    @Test
    void eventsPostedWhileAttachingReachTheLogOnceAfterReconciling() {
        Fixture f = new Fixture(dir).installed().withTwoVmsStarted();
        f.restart();
        f.sim.whileAttaching = host -> {
            f.sim.emit(host, "vm1", VmState.RUNNING, "re-attached to pid 7: RUNNING");
            f.sim.emit(host, "vm2", VmState.STOPPED, "pid 8 is gone; stale files removed");
        };
        f.installed();

        assertEquals(VmState.RUNNING, f.vms.vm("vm1").state());
        assertEquals(VmState.STOPPED, f.vms.vm("vm2").state());
        assertEquals(List.of("host 'h1': re-attached to pid 7: RUNNING"), messages(f, "re-attached"));
        assertEquals(List.of("host 'h1': pid 8 is gone; stale files removed"), messages(f, "is gone"));
        VireoEvent reattached = f.events.since(0).stream().filter(e -> e.message().contains("re-attached")).findFirst().orElseThrow();
        assertEquals(EventCategory.VM, reattached.category());
        assertEquals("vm1", reattached.subject());

        f.inventory.pollAll();
        assertEquals(1, messages(f, "re-attached").size(), "polling does not post them again");
        assertEquals(1, messages(f, "is gone").size());
    }

    @Test
    void reattachingTheSameHypervisorDoesNotReplayItsOlderEvents() {
        Fixture f = new Fixture(dir).installed().withTwoVmsStarted();
        List<String> booted = messages(f, "booted");
        assertEquals(1, booted.size(), booted.toString());
        f.sim.emit("h1", "vm2", VmState.CRASHED, "crashed long ago");
        f.inventory.pollAll();
        assertEquals(VmState.CRASHED, f.vms.vm("vm2").state());
        f.vms.start("vm2");
        assertEquals(VmState.STARTING, f.vms.vm("vm2").state());

        f.restart();
        f.installed();

        assertEquals(booted, messages(f, "booted"), "the hypervisor's older events are not applied again");
        assertEquals(1, messages(f, "crashed long ago").size());
        assertEquals(VmState.STARTING, f.vms.vm("vm2").state(), "the old crash does not stop the VM the hypervisor runs");
    }

    @Test
    void anEventThatPostdatesTheAttachSnapshotIsAppliedAfterIt() {
        Fixture f = new Fixture(dir).installed().withTwoVmsStarted();
        f.restart();
        // the hypervisor reports vm1 running in its snapshot, but posted its exit while attaching
        f.sim.whileAttaching = host -> f.sim.events.add(new org.vireo.api.hypervisor.HypervisorEvent(
                f.sim.events.stream().filter(e -> e.host().equals(host)).count() + 1, 0, host, "vm1", VmState.CRASHED, "QEMU exited"));
        f.installed();

        assertEquals(VmState.CRASHED, f.vms.vm("vm1").state());
        assertEquals(1, messages(f, "QEMU exited").size());
    }

    private static List<String> messages(Fixture f, String containing) {
        return f.events.since(0).stream().map(VireoEvent::message).filter(m -> m.contains(containing)).toList();
    }
}
