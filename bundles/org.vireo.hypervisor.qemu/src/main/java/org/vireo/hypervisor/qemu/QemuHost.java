package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * One host under the QEMU hypervisor: its VMs (one QEMU process each), its event log, and the
 * index entries that let a restarted runtime find its QEMU processes again.
 */
final class QemuHost implements QemuVm.Listener {
    private final HostSpec spec;
    private final TypeProfile profile;
    private final Accelerator accelerator;
    private final QemuCommandLine commandLine;
    private final Supplier<GuestImage> guest;
    private final StateIndex index;
    private final ProcFs proc;
    private final QemuVm.Timing timing;
    private final LongSupplier clock;
    private final Supplier<String> detail;
    private final EventLog events;
    private final HostControl control;
    private final Map<String, QemuVm> vms = new ConcurrentHashMap<>();

    /**
     * @param spec the host
     * @param profile its type's overheads
     * @param accelerator TCG or KVM for its VMs
     * @param commandLine builds QEMU command lines
     * @param guest finds the guest kernel and initramfs (called at each start)
     * @param index the re-attach index
     * @param proc the proc reader
     * @param timing timeouts
     * @param clock the hypervisor clock, milliseconds
     * @param detail the hypervisor's note for {@code host:info} (QEMU version, KVM verdict)
     * @param enforcement the policies, cgroups and KSM that enforce QoS on the host's VMs
     */
    QemuHost(HostSpec spec, TypeProfile profile, Accelerator accelerator, QemuCommandLine commandLine, Supplier<GuestImage> guest,
            StateIndex index, ProcFs proc, QemuVm.Timing timing, LongSupplier clock, Supplier<String> detail,
            HostControl.Setup enforcement) {
        this.spec = spec;
        this.profile = profile;
        this.accelerator = accelerator;
        this.commandLine = commandLine;
        this.guest = guest;
        this.index = index;
        this.proc = proc;
        this.timing = timing;
        this.clock = clock;
        this.detail = detail;
        this.events = new EventLog(spec.name(), clock);
        this.control = new HostControl(spec, profile, enforcement, proc, events);
    }

    String name() {
        return spec.name();
    }

    HostSpec spec() {
        return spec;
    }

    Accelerator accelerator() {
        return accelerator;
    }

    /**
     * Takes over the QEMU processes the index lists for this host: live ones through their QMP
     * socket, dead ones reported as stopped with their stale files removed.
     */
    void reattach() {
        for (Map.Entry<String, Path> entry : index.entries(spec.name()).entrySet()) {
            String vm = entry.getKey();
            VmPaths paths = new VmPaths(entry.getValue());
            Optional<VmRecord> record = readRecord(vm, paths);
            if (record.isEmpty()) {
                index.remove(spec.name(), vm);
                control.discard(vm);
                continue;
            }
            try {
                Optional<QemuVm> found = QemuVm.reattach(spec.name(), record.get(), paths, spec.mhzPerCore(), proc, timing, this);
                if (found.isPresent()) {
                    control.admit(found.get());
                    vms.put(vm, found.get());
                    events.post(vm, found.get().state(), "re-attached to QEMU pid " + found.get().pid() + " through "
                            + paths.qmpSocket() + ": " + found.get().state());
                } else {
                    index.remove(spec.name(), vm);
                    control.discard(vm);
                    events.post(vm, VmState.STOPPED, "QEMU pid " + record.get().pid() + " is gone; reported stopped, stale files removed");
                }
            } catch (HypervisorException e) {
                index.remove(spec.name(), vm);
                control.discard(vm);
                events.post(vm, VmState.STOPPED, e.getMessage());
            }
        }
    }

    /** A qemu.json, or the pid file QEMU wrote when the runtime died before writing qemu.json. */
    private Optional<VmRecord> readRecord(String vm, VmPaths paths) {
        if (Files.isRegularFile(paths.stateFile())) {
            try {
                return Optional.of(VmRecord.read(paths.stateFile()));
            } catch (HypervisorException e) {
                events.post(vm, null, e.getMessage());
            }
        }
        if (Files.isRegularFile(paths.pidFile())) {
            try {
                long pid = Long.parseLong(Files.readString(paths.pidFile()).trim());
                if (proc.cmdline(pid).contains(paths.qmpSocket().toString())) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    events.post(vm, VmState.STOPPED, "QEMU pid " + pid + " had no qemu.json (the runtime died while starting it): killed");
                }
            } catch (IOException | NumberFormatException e) {
                // nothing to find
            }
        }
        paths.removeRuntimeFiles();
        return Optional.empty();
    }

    VmSnapshot start(VmSpec vm, String directory) {
        QemuVm existing = vms.get(vm.name());
        if (existing != null && !existing.ended()) {
            throw new HypervisorException("VM " + vm.name() + " on host " + spec.name() + " is already running as QEMU pid "
                    + existing.pid());
        }
        VmPaths paths = new VmPaths(Path.of(directory));
        GuestImage image = guest.get();
        // frozen (-S) until the process sits in its cgroups: its CPU time and memory are accounted from the first instruction
        List<String> argv = QemuCommandLine.frozen(commandLine.build(vm, spec.cpuModel().name(), accelerator, paths, image));
        try {
            paths.prepareDirectory();
            index.put(spec.name(), vm.name(), paths.directory());
        } catch (IOException e) {
            throw new HypervisorException("VM " + vm.name() + " on host " + spec.name() + ": cannot record it in " + index.root()
                    + ": " + e.getMessage(), e);
        }
        QemuVm started;
        try {
            started = QemuVm.launch(spec.name(), vm, paths, argv, accelerator, spec.mhzPerCore(), proc, timing, this);
        } catch (RuntimeException e) {
            index.remove(spec.name(), vm.name());
            throw e;
        }
        control.admit(started);
        vms.put(vm.name(), started);
        try {
            started.run();
        } catch (HypervisorException e) {
            started.stop(true);
            throw new HypervisorException("VM " + vm.name() + " on host " + spec.name() + ": QEMU pid " + started.pid()
                    + " did not start its vCPUs (" + e.getMessage() + "); stopped it", e);
        }
        events.post(vm.name(), VmState.STARTING, "QEMU pid " + started.pid() + " started (" + accelerator.name() + ", "
                + image.describe() + ")");
        return started.snapshot();
    }

    void stop(String vm, boolean force) {
        String how = require(vm).stop(force);
        events.post(vm, null, how);
    }

    void pause(String vm) {
        QemuVm v = require(vm);
        v.pause();
        events.post(vm, VmState.PAUSED, "paused (QMP stop)");
    }

    void resume(String vm) {
        QemuVm v = require(vm);
        v.resume();
        events.post(vm, v.state(), "resumed (QMP cont)");
    }

    void crash(String vm) {
        require(vm).crash();
    }

    void reconfigure(VmSpec vm) {
        require(vm.name()).reconfigure(vm);
    }

    /**
     * @param vm a VM of this host
     * @return its QEMU process
     * @throws HypervisorException naming the VMs the host runs
     */
    QemuVm require(String vm) {
        QemuVm v = vms.get(vm);
        if (v == null || v.ended()) {
            throw new HypervisorException("VM " + vm + " is not running on host " + spec.name() + "; running: "
                    + (vms.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(vms.keySet()))));
        }
        return v;
    }

    boolean hasVms() {
        return vms.values().stream().anyMatch(v -> !v.ended());
    }

    void tick(long nowNanos) {
        for (QemuVm vm : vms.values()) {
            try {
                vm.tick(nowNanos);
            } catch (RuntimeException e) {
                // one VM's failing sample must not starve the others; its exit is reported by its watcher
            }
        }
        if (control.due(nowNanos, timing.sample().toNanos())) {
            List<QemuVm> list = new ArrayList<>(vms.values());
            list.sort(Comparator.comparing(QemuVm::name));
            control.interval(list, nowNanos, timing.sample().toMillis() / 1000.0);
        }
    }

    /** @return the enforcement of QoS on this host */
    HostControl control() {
        return control;
    }

    HostSnapshot snapshot() {
        List<VmSnapshot> list = new ArrayList<>();
        for (QemuVm vm : vms.values()) {
            if (!vm.ended()) {
                list.add(vm.snapshot());
            }
        }
        list.sort(Comparator.comparing(VmSnapshot::name));
        double used = list.stream().mapToDouble(v -> v.cpu().usedMhz()).sum();
        long merging = list.stream().mapToLong(v -> v.memory().sharedPages()).sum();
        long free = control.freePages(list);
        long saved = Math.min(merging, proc.ksmPagesSharing());
        return new HostSnapshot(spec, profile, clock.getAsLong(), used, free, saved, list, detail.get() + "; " + control.describe());
    }

    List<HypervisorEvent> events(long after) {
        return events.since(after);
    }

    /**
     * The bundle is stopping or the host is detached: lets go of every QEMU process without
     * stopping it. Running VMs stay in their cgroups; the host's group goes if it holds none.
     */
    void detachAll() {
        vms.values().forEach(QemuVm::detach);
        vms.clear();
        control.close();
    }

    @Override
    public void changed(QemuVm vm, VmState state, String message) {
        events.post(vm.name(), state, message);
    }

    @Override
    public void ended(QemuVm vm, VmState state, String message, boolean requested) {
        vms.remove(vm.name(), vm);
        control.forget(vm.name());
        index.remove(spec.name(), vm.name());
        events.post(vm.name(), state, message);
    }
}
