package org.vireo.hypervisor.qemu;

import java.nio.file.Path;
import java.time.Duration;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * A runtime in its own JVM, for the re-attach test: attaches host h1, starts the guests "live"
 * and "dead", pauses "live", prints READY and waits to be killed with SIGKILL.
 * Arguments: index directory, guest directory, live VM directory, dead VM directory.
 */
public final class RuntimeStandIn {
    private RuntimeStandIn() {
    }

    public static void main(String[] args) throws Exception {
        QemuVm.Timing timing = new QemuVm.Timing(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(120), Duration.ofMillis(500));
        QemuHypervisor h = new QemuHypervisor(new Settings("qemu-system-x86_64", "q35", timing, Duration.ZERO, ""),
                new GuestLocator(args[1], null, "/"), Path.of(args[0]), ProcFs.system(), Path.of("/dev/kvm"));
        h.attachHost(RealGuests.host("h1"), RealGuests.hosted());
        h.start("h1", VmSpec.of("live", 1, 256), args[2]);
        h.start("h1", VmSpec.of("dead", 1, 256), args[3]);
        RealGuests.awaitEvent(h, "h1", "live", VmState.RUNNING);
        RealGuests.awaitEvent(h, "h1", "dead", VmState.RUNNING);
        h.pause("h1", "live");
        System.out.print("READY\n");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
