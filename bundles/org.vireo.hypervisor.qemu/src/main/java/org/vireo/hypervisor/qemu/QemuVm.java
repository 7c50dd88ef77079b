package org.vireo.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vireo.api.hypervisor.CpuFigures;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.IoFigures;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.model.DiskSpec;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.hypervisor.qemu.qmp.QmpClient;
import org.vireo.hypervisor.qemu.qmp.QmpEvent;
import org.vireo.hypervisor.qemu.qmp.QmpException;
import org.vireo.hypervisor.qemu.qmp.QmpListener;

/**
 * One VM's QEMU process: starting it (or finding it again after a restart), its state, the
 * lifecycle commands through QMP, its end, and the figures read from {@code /proc}, QMP and the
 * guest's console.
 * <p>
 * State: {@code STARTING} until the guest prints its banner, then {@code RUNNING};
 * {@code PAUSED} while stopped through QMP. When the process ends the VM is {@code STOPPED} if
 * that was asked for or the guest powered off, and {@code CRASHED} otherwise.
 */
final class QemuVm {
    /** Hears what happens to the VM without being asked. */
    interface Listener {
        /**
         * The VM changed state on its own (finished booting, was paused by QEMU).
         *
         * @param vm the VM
         * @param state its new state
         * @param message for people
         */
        void changed(QemuVm vm, VmState state, String message);

        /**
         * The QEMU process is gone; called once.
         *
         * @param vm the VM
         * @param state {@code STOPPED} or {@code CRASHED}
         * @param message why, for people
         * @param requested whether a stop or crash call asked for it
         */
        void ended(QemuVm vm, VmState state, String message, boolean requested);
    }

    /** Timeouts and intervals, from the configuration. */
    record Timing(Duration qmp, Duration launch, Duration stop, Duration boot, Duration sample) {
    }

    /**
     * The host's CPU decision for this VM over the last interval, and how it is enforced.
     *
     * @param demandMhz the demand estimated from what the VM used and waited for
     * @param entitledMhz what the CPU policy granted
     * @param usedMhz what the VM used, read back from its cgroup (or {@code /proc})
     * @param note the enforcement for people (cgroup, quota, shares, memory limit), or empty
     */
    record Control(double demandMhz, double entitledMhz, double usedMhz, String note) {
    }

    private enum Intent { NONE, STOP, CRASH, DETACH }

    private final String host;
    private final VmPaths paths;
    private final Accelerator accelerator;
    private final ProcFs proc;
    private final Timing timing;
    private final Listener listener;
    private final long pid;
    private final long startTicks;
    private final ProcessHandle process;
    private final long startedAtMillis;
    private final long startedAtNanos;
    private final ConsoleWatcher console;
    private final Sampler sampler;
    private final CompletableFuture<VmState> end = new CompletableFuture<>();
    private final Object lock = new Object();

    private volatile VmSpec spec;
    private volatile VmState state;
    private volatile boolean booted;
    private volatile QmpClient qmp;
    private volatile String qemuVersion = "";
    private volatile Intent intent = Intent.NONE;
    private volatile boolean expectStop;
    private volatile boolean expectResume;
    private volatile String shutdownReason;
    private volatile long balloonBytes = -1;
    private volatile List<Long> vcpuThreads = List.of();
    private volatile Control control;

    private QemuVm(String host, VmSpec spec, VmPaths paths, Accelerator accelerator, ProcFs proc, Timing timing,
            Listener listener, ProcessHandle process, long startTicks, long startedAtMillis, double hostMhz) {
        this.host = host;
        this.spec = spec;
        this.paths = paths;
        this.accelerator = accelerator;
        this.proc = proc;
        this.timing = timing;
        this.listener = listener;
        this.process = process;
        this.pid = process.pid();
        this.startTicks = startTicks;
        this.startedAtMillis = startedAtMillis;
        this.startedAtNanos = System.nanoTime() - Math.max(0, System.currentTimeMillis() - startedAtMillis) * 1_000_000L;
        this.console = new ConsoleWatcher(paths.consoleLog());
        this.sampler = new Sampler(proc, pid, hostMhz);
    }

    // ------------------------------------------------------------------------------------------
    // Start and re-attach

    /**
     * Spawns QEMU for a VM and waits until its QMP socket answers. The VM is {@code STARTING}.
     *
     * @param host the host's name
     * @param spec the VM's definition
     * @param paths its directory
     * @param command the full command line ({@link QemuCommandLine})
     * @param accelerator TCG or KVM
     * @param hostMhz MHz of one host core, for CPU figures
     * @param proc the proc reader
     * @param timing timeouts
     * @param listener hears later changes
     * @return the running VM
     * @throws HypervisorException naming host and VM if QEMU does not come up
     */
    static QemuVm launch(String host, VmSpec spec, VmPaths paths, List<String> command, Accelerator accelerator,
            double hostMhz, ProcFs proc, Timing timing, Listener listener) {
        String who = "VM " + spec.name() + " on host " + host;
        try {
            paths.prepareDirectory();
            for (DiskSpec disk : spec.disks()) {
                Path file = paths.directory().resolve(disk.fileName());
                if (!Files.isRegularFile(file)) {
                    throw new HypervisorException(who + ": disk '" + disk.name() + "' has no file " + file);
                }
            }
            if (Files.exists(paths.consoleLog())) {
                Files.move(paths.consoleLog(), paths.previousConsoleLog(), StandardCopyOption.REPLACE_EXISTING);
            }
            VmPaths.createPrivate(paths.consoleLog());
            VmPaths.createPrivate(paths.qemuLog());
            paths.removeRuntimeFiles();
        } catch (IOException e) {
            throw new HypervisorException(who + ": cannot prepare " + paths.directory() + ": " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            argv.add("/usr/bin/setsid"); // its own session: a Ctrl-C meant for the runtime never reaches the guests
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(paths.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.qemuLog().toFile()));
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            throw new HypervisorException(who + ": cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        long startedAt = System.currentTimeMillis();
        long ticks = proc.stat(child.pid()).map(ProcFs.Stat::startTicks).orElse(-1L);
        QemuVm vm = new QemuVm(host, spec, paths, accelerator, proc, timing, listener, child.toHandle(), ticks, startedAt, hostMhz);
        vm.state = VmState.STARTING;
        try {
            vm.connect(timing.launch(), child);
            VmPaths.restrict(paths.qmpSocket());
            VmPaths.restrict(paths.pidFile());
            vm.record().write(paths.stateFile());
        } catch (RuntimeException | IOException e) {
            child.destroyForcibly();
            waitQuietly(child.toHandle(), Duration.ofSeconds(5));
            paths.removeRuntimeFiles();
            String log = tail(paths.qemuLog(), 5);
            throw new HypervisorException(who + ": QEMU did not come up: " + e.getMessage()
                    + (log.isEmpty() ? "" : "; qemu.log: " + log), e);
        }
        vm.watchExit();
        vm.tick(System.nanoTime()); // the first figures, so that the first snapshot is not empty
        return vm;
    }

    /**
     * Finds the QEMU process a VM directory records and takes it over through its QMP socket.
     *
     * @return the VM, {@code RUNNING}, {@code PAUSED} or {@code STARTING}; empty if the process is
     *         gone (its stale files are then removed)
     * @throws HypervisorException if the process lives but does not answer (it is then killed)
     */
    static Optional<QemuVm> reattach(String host, VmRecord record, VmPaths paths, double hostMhz, ProcFs proc,
            Timing timing, Listener listener) {
        Optional<ProcFs.Stat> stat = proc.stat(record.pid());
        Optional<ProcessHandle> handle = ProcessHandle.of(record.pid());
        boolean same = stat.isPresent() && handle.isPresent() && stat.get().state() != 'Z'
                && (record.startTicks() < 0 || stat.get().startTicks() == record.startTicks())
                && proc.cmdline(record.pid()).contains(paths.qmpSocket().toString());
        if (!same) {
            paths.removeRuntimeFiles();
            return Optional.empty();
        }
        Accelerator accel = "kvm".equals(record.accelerator()) ? Accelerator.KVM : Accelerator.TCG;
        QemuVm vm = new QemuVm(host, record.spec(), paths, accel, proc, timing, listener, handle.get(),
                record.startTicks(), record.startedAtMillis(), hostMhz);
        try {
            vm.connect(timing.qmp(), null);
            JsonNode status = vm.qmp.execute("query-status", null, timing.qmp());
            vm.console.poll();
            vm.booted = vm.console.bannerSeen();
            vm.state = status.path("running").asBoolean() ? (vm.booted ? VmState.RUNNING : VmState.STARTING) : VmState.PAUSED;
        } catch (RuntimeException e) {
            handle.get().destroyForcibly();
            waitQuietly(handle.get(), Duration.ofSeconds(5));
            paths.removeRuntimeFiles();
            throw new HypervisorException("VM " + record.vm() + " on host " + host + ": QEMU pid " + record.pid()
                    + " was alive but did not answer on " + paths.qmpSocket() + " (" + e.getMessage() + "): killed it", e);
        }
        vm.watchExit();
        vm.tick(System.nanoTime());
        return Optional.of(vm);
    }

    private void connect(Duration timeout, Process child) {
        long deadline = System.nanoTime() + timeout.toNanos();
        QmpException last = null;
        while (System.nanoTime() < deadline) {
            if (child != null && !child.isAlive()) {
                throw new HypervisorException("QEMU exited with status " + child.exitValue());
            }
            if (Files.exists(paths.qmpSocket())) {
                try {
                    qmp = QmpClient.connect(paths.qmpSocket(), spec.name(), timing.qmp(), new Events());
                    qemuVersion = qmp.qemuVersion();
                    readVcpuThreads();
                    readBalloon();
                    return;
                } catch (QmpException e) {
                    last = e;
                }
            }
            sleep(50);
        }
        throw new HypervisorException("no answer on " + paths.qmpSocket() + " within " + timeout.toMillis() + " ms"
                + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private void watchExit() {
        process.onExit().thenRun(this::exited);
    }

    VmRecord record() {
        return new VmRecord(VmRecord.FORMAT, host, spec.name(), pid, startTicks, paths.qmpSocket().toString(),
                accelerator.id(), startedAtMillis, spec);
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    void pause() {
        synchronized (lock) {
            if (state == VmState.PAUSED) {
                return;
            }
            requireActive("pause");
            expectStop = true;
            execute("stop", null);
            state = VmState.PAUSED;
        }
    }

    void resume() {
        synchronized (lock) {
            if (state != VmState.PAUSED) {
                requireActive("resume");
                return;
            }
            expectResume = true;
            execute("cont", null);
            state = booted ? VmState.RUNNING : VmState.STARTING;
        }
    }

    /**
     * Lets the vCPUs of a VM launched with {@code -S} run (QMP {@code cont}); the host places
     * the process in its cgroups first.
     */
    void run() {
        synchronized (lock) {
            requireActive("run");
            if ("running".equals(queryStatus())) {
                return;
            }
            expectResume = true;
            execute("cont", null);
        }
    }

    /**
     * Stops the VM and waits until QEMU has exited: a graceful stop presses the power button
     * and waits up to the stop timeout (a paused guest, or one that has not finished booting,
     * cannot answer it, so it is quit at once);
     * then, or when forced, QMP {@code quit}; SIGKILL as a last resort.
     *
     * @param force whether to skip the guest shutdown
     * @return how it ended, for people
     */
    String stop(boolean force) {
        intent = Intent.STOP;
        long t0 = System.nanoTime();
        if (!force && booted && state != VmState.PAUSED && tryExecute("system_powerdown") && awaitEnd(timing.stop())) {
            return "guest powered off in " + millisSince(t0) + " ms";
        }
        if (tryExecute("quit") && awaitEnd(Duration.ofSeconds(5))) {
            String why = force ? "QEMU quit"
                    : !booted ? "the guest had not finished booting; QEMU quit"
                    : state == VmState.PAUSED ? "the guest was paused; QEMU quit"
                    : "the guest did not power off within " + timing.stop().toSeconds() + " s; QEMU quit";
            return why + " after " + millisSince(t0) + " ms";
        }
        process.destroyForcibly();
        if (!awaitEnd(Duration.ofSeconds(10))) {
            throw new HypervisorException(who() + ": QEMU pid " + pid + " survived SIGKILL");
        }
        return "QEMU killed (SIGKILL) after " + millisSince(t0) + " ms";
    }

    /** Fault injection: SIGKILL, as a crashing VMM would die. */
    void crash() {
        intent = Intent.CRASH;
        process.destroyForcibly();
        if (!awaitEnd(Duration.ofSeconds(10))) {
            throw new HypervisorException(who() + ": QEMU pid " + pid + " survived SIGKILL");
        }
    }

    /** Lets go of the process without stopping it (the bundle stops; a later attach finds it again). */
    void detach() {
        intent = Intent.DETACH;
        QmpClient c = qmp;
        if (c != null) {
            c.close();
        }
    }

    void reconfigure(VmSpec newSpec) {
        spec = newSpec;
        try {
            record().write(paths.stateFile());
        } catch (IOException e) {
            // the running process is unaffected; a re-attach would report the older QoS
        }
    }

    /**
     * Sets the balloon target: the guest gives memory back until it holds {@code targetMiB}.
     *
     * @param targetMiB the memory the guest keeps, MiB
     */
    void balloon(long targetMiB) {
        balloonTo(targetMiB * 1024 * 1024);
    }

    /**
     * Sets the balloon target in bytes (QMP {@code balloon}).
     *
     * @param targetBytes the memory the guest keeps
     */
    void balloonTo(long targetBytes) {
        requireActive("balloon");
        execute("balloon", Map.of("value", targetBytes));
    }

    private void exited() {
        if (intent == Intent.DETACH) {
            return;
        }
        VmState finalState;
        String message;
        boolean requested = intent != Intent.NONE;
        console.poll();
        if (intent == Intent.CRASH) {
            finalState = VmState.CRASHED;
            message = "crashed on request: QEMU pid " + pid + " killed";
        } else if (intent == Intent.STOP) {
            finalState = VmState.STOPPED;
            message = "stopped on request";
        } else if ("guest-shutdown".equals(shutdownReason)) {
            finalState = VmState.STOPPED;
            message = "the guest powered off";
        } else {
            finalState = VmState.CRASHED;
            message = "QEMU pid " + pid + " ended unexpectedly"
                    + (shutdownReason == null ? "" : " (shutdown reason " + shutdownReason + ")")
                    + "; last console line: " + abbreviate(console.lastLine());
        }
        state = finalState;
        QmpClient c = qmp;
        if (c != null) {
            c.close();
        }
        paths.removeRuntimeFiles();
        try {
            listener.ended(this, finalState, message, requested); // before stop() returns: the host has let go of the VM
        } finally {
            end.complete(finalState);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sampling

    /**
     * Called at every tick of the hypervisor: follows the console (banner, heartbeat) and, once
     * per sample interval, reads the process's figures.
     *
     * @param nowNanos the tick's time
     */
    void tick(long nowNanos) {
        if (end.isDone()) {
            return;
        }
        console.poll();
        if (!booted && console.bannerSeen()) {
            booted = true;
            synchronized (lock) {
                if (state == VmState.STARTING) {
                    state = VmState.RUNNING;
                    listener.changed(this, VmState.RUNNING, "booted in " + (nowNanos - startedAtNanos) / 1_000_000 + " ms: "
                            + console.bannerLine());
                }
            }
        } else if (!booted && state == VmState.STARTING && nowNanos - startedAtNanos > timing.boot().toNanos()) {
            booted = true; // not a Vireo guest, or a slow one: trust QEMU
            synchronized (lock) {
                if (state == VmState.STARTING && "running".equals(queryStatus())) {
                    state = VmState.RUNNING;
                    listener.changed(this, VmState.RUNNING, "no guest banner within " + timing.boot().toSeconds()
                            + " s; QMP reports the VM running");
                }
            }
        }
        if (sampler.due(nowNanos, timing.sample())) {
            if (balloonBytes < 0) {
                readBalloon();
            }
            sampler.sample(nowNanos, vcpuThreads);
        }
    }

    /** @return the VM's figures as of the last sample, with its current state */
    VmSnapshot snapshot() {
        VmSpec s = spec;
        VmState st = state;
        boolean running = st == VmState.RUNNING || st == VmState.STARTING;
        Control c = control;
        CpuFigures cpu;
        if (c != null) {
            cpu = new CpuFigures(running ? c.demandMhz() : 0, running ? c.entitledMhz() : 0, c.usedMhz(),
                    sampler.readyPercent(s.vcpus()), sampler.workMhzSeconds());
        } else { // before the host's first interval: what the vCPUs and the limit allow
            double capacity = s.vcpus() * sampler.hostMhz();
            cpu = new CpuFigures(running ? capacity : 0, running ? Math.min(capacity, s.cpu().limitOrInfinity()) : 0,
                    sampler.usedMhz(), sampler.readyPercent(s.vcpus()), sampler.workMhzSeconds());
        }
        long configured = s.memoryMiB() * MemoryFigures.PAGES_PER_MIB;
        long ballooned = balloonBytes < 0 ? 0 : Math.max(0, configured - balloonBytes / MemoryFigures.PAGE_SIZE);
        long resident = sampler.residentPages();
        Optional<Heartbeat> hb = console.heartbeat();
        long active = hb.filter(h -> h.memTotalKiB() > 0 && h.memAvailableKiB() >= 0)
                .map(h -> (h.memTotalKiB() - h.memAvailableKiB()) / 4).orElse(resident);
        MemoryFigures memory = new MemoryFigures(configured, resident, sampler.ksmPages(), ballooned, sampler.swappedPages(),
                Math.min(active, configured), Map.of());
        IoFigures io = new IoFigures(sampler.readMiBps(), sampler.writeMiBps(), 0, 0);
        return new VmSnapshot(s, st, cpu, memory, io, detail(hb));
    }

    private String detail(Optional<Heartbeat> hb) {
        StringBuilder sb = new StringBuilder("pid ").append(pid).append(", ").append(accelerator.name());
        if (!qemuVersion.isEmpty()) {
            sb.append(", QEMU ").append(qemuVersion);
        }
        hb.ifPresent(h -> sb.append(String.format(Locale.ROOT, "; guest up %d s, %.1fM it/s, MemTotal %d MiB",
                h.seconds(), h.rateMillions(), h.memTotalKiB() / 1024)));
        if (balloonBytes >= 0 && balloonBytes < spec.memoryMiB() * 1024L * 1024) {
            sb.append(", balloon ").append(balloonBytes / (1024 * 1024)).append(" MiB");
        }
        Control c = control;
        if (c != null && !c.note().isEmpty()) {
            sb.append("; ").append(c.note());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------
    // Accessors

    String name() {
        return spec.name();
    }

    VmSpec spec() {
        return spec;
    }

    VmState state() {
        return state;
    }

    long pid() {
        return pid;
    }

    VmPaths paths() {
        return paths;
    }

    boolean ended() {
        return end.isDone();
    }

    /** @return the latest heartbeat the guest printed */
    Optional<Heartbeat> heartbeat() {
        console.poll();
        return console.heartbeat();
    }

    /** @return the balloon's current size as QEMU reports it (the guest's memory), bytes, or -1 */
    long balloonBytes() {
        return balloonBytes;
    }

    /** @return the vCPU threads' ids (for placing them in cgroups) */
    List<Long> vcpuThreads() {
        return vcpuThreads;
    }

    /** @return CPU used over the last sample interval from {@code /proc}, MHz, or -1 before two samples */
    double procUsedMhz() {
        return sampler.rated() ? sampler.usedMhz() : -1;
    }

    /** @return the time the vCPUs waited for a host CPU over the last sample interval, in MHz */
    double readyMhz() {
        return sampler.readyMhz();
    }

    /** @param figures the host's CPU decision for the VM over the last interval */
    void control(Control figures) {
        control = figures;
    }

    // ------------------------------------------------------------------------------------------
    // Helpers

    private void readVcpuThreads() {
        try {
            JsonNode cpus = qmp.execute("query-cpus-fast", null, timing.qmp());
            List<Long> ids = new ArrayList<>();
            cpus.forEach(c -> ids.add(c.path("thread-id").asLong()));
            vcpuThreads = List.copyOf(ids);
        } catch (QmpException e) {
            vcpuThreads = List.of();
        }
    }

    private void readBalloon() {
        try {
            balloonBytes = qmp.execute("query-balloon", null, timing.qmp()).path("actual").asLong(-1);
        } catch (QmpException e) {
            // no balloon driver yet (the guest loads it while booting): asked again at the next sample
        }
    }

    private String queryStatus() {
        try {
            return qmp.execute("query-status", null, timing.qmp()).path("status").asText("");
        } catch (QmpException e) {
            return "";
        }
    }

    private JsonNode execute(String command, Object args) {
        QmpClient c = qmp;
        if (c == null) {
            throw new HypervisorException(who() + ": " + command + ": no QMP connection");
        }
        try {
            return c.execute(command, args, timing.qmp());
        } catch (QmpException e) {
            throw new HypervisorException(who() + ": " + command + " failed: " + e.getMessage(), e);
        }
    }

    private boolean tryExecute(String command) {
        QmpClient c = qmp;
        if (c == null || !c.isOpen()) {
            return false;
        }
        try {
            c.execute(command, null, timing.qmp());
            return true;
        } catch (QmpException e) {
            return e.kind() == QmpException.Kind.CLOSED; // "quit" may close before it answers
        }
    }

    private void requireActive(String operation) {
        if (end.isDone() || !state.isActive()) {
            throw new HypervisorException(who() + ": cannot " + operation + " a VM that is " + state);
        }
    }

    private boolean awaitEnd(Duration timeout) {
        try {
            end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private String who() {
        return "VM " + spec.name() + " on host " + host;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void waitQuietly(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported by the caller
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while waiting for QEMU", e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size())).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }

    /** Keeps the VM's state in step with what QEMU announces. */
    private final class Events implements QmpListener {
        @Override
        public void event(QmpEvent event) {
            switch (event.name()) {
                case "STOP" -> {
                    if (expectStop) {
                        expectStop = false;
                        return;
                    }
                    synchronized (lock) {
                        if (state == VmState.RUNNING || state == VmState.STARTING) {
                            state = VmState.PAUSED;
                            listener.changed(QemuVm.this, VmState.PAUSED, "QEMU stopped the VM's CPUs");
                        }
                    }
                }
                case "RESUME" -> {
                    if (expectResume) {
                        expectResume = false;
                        return;
                    }
                    synchronized (lock) {
                        if (state == VmState.PAUSED) {
                            state = booted ? VmState.RUNNING : VmState.STARTING;
                            listener.changed(QemuVm.this, state, "QEMU resumed the VM's CPUs");
                        }
                    }
                }
                case "SHUTDOWN" -> shutdownReason = event.data().path("reason").asText(null);
                case "BALLOON_CHANGE" -> balloonBytes = event.data().path("actual").asLong(balloonBytes);
                default -> {
                    // other events do not change the VM's state
                }
            }
        }
    }
}
