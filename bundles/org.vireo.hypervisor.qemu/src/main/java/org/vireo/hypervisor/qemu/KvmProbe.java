package org.vireo.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.model.VmSpec;

/**
 * Decides whether KVM can run Linux guests here by booting one: opening {@code /dev/kvm} is no
 * proof (a software KVM such as kvm_pvm opens fine and then hangs every stock kernel). The guest
 * must print its banner under {@code -accel kvm} within the timeout.
 * <p>
 * The probe's files go to a scratch folder of the hypervisor's own (not the machine's temporary
 * folder), removed when the probe ends, when it is cancelled, and at the next start after a
 * runtime that was killed while probing.
 */
final class KvmProbe {
    /**
     * @param usable whether KVM booted the guest
     * @param reason for people: what was tried and what happened
     * @param probedAt when a probe guest was booted to reach it; null when none was (not probed,
     *        cancelled, no device): such a verdict is not kept
     * @param cached whether it was kept from an earlier start ({@link KvmVerdictCache})
     */
    record Verdict(boolean usable, String reason, Instant probedAt, boolean cached) {
        /** A verdict reached without booting a probe guest. */
        Verdict(boolean usable, String reason) {
            this(usable, reason, null, false);
        }

        /** @return the verdict for people: usable or not, why, and whether it was kept from an earlier start */
        String describe() {
            return (usable ? "usable: " : "unusable: ") + reason
                    + (cached ? " (cached: probed at " + probedAt + "; nothing that decides it has changed since)" : "");
        }
    }

    private static final Path TIMEOUT = Path.of("/usr/bin/timeout");
    private static final Path NICE = Path.of("/usr/bin/nice");
    /** How long {@link #cancel} waits for the probe's cleanup: longer than its own wait for QEMU. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(15);

    private final Path device;
    private final QemuCommandLine commandLine;
    private final Supplier<GuestImage> guest;
    private final Duration timeout;
    private final Path scratch;
    private volatile Process running;
    private volatile boolean cancelled;
    /** Counted down once a run has stopped its QEMU and removed its files. */
    private CountDownLatch finished = new CountDownLatch(0);

    /**
     * @param device the KVM device, normally {@code /dev/kvm}
     * @param commandLine builds the probe guest's command line
     * @param guest the guest to boot
     * @param timeout how long the guest may take to print its banner; zero disables the probe
     * @param scratch the folder the probe guest's files go to while it runs (created and removed by the probe)
     */
    KvmProbe(Path device, QemuCommandLine commandLine, Supplier<GuestImage> guest, Duration timeout, Path scratch) {
        this.device = device;
        this.commandLine = commandLine;
        this.guest = guest;
        this.timeout = timeout;
        this.scratch = scratch;
    }

    /** @return whether the probe boots a guest at all (its timeout is not zero) */
    boolean enabled() {
        return !(timeout.isZero() || timeout.isNegative());
    }

    /** @return how long the guest may take to print its banner */
    Duration timeout() {
        return timeout;
    }

    /** Removes the files of a probe that a killed runtime could not remove. */
    void removeLeftovers() {
        deleteTree(scratch);
    }

    Verdict run() {
        if (!enabled()) {
            return new Verdict(false, "not probed (kvmProbeTimeoutSeconds is 0)");
        }
        if (!Files.exists(device)) {
            return new Verdict(false, "no " + device + " on this host");
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            return new Verdict(false, device + " is not readable and writable by this user");
        }
        GuestImage image;
        try {
            image = guest.get();
        } catch (HypervisorException e) {
            return new Verdict(false, "not probed: " + e.getMessage());
        }
        CountDownLatch done;
        synchronized (this) {
            if (cancelled) {
                return new Verdict(false, "the probe was cancelled");
            }
            done = new CountDownLatch(1);
            finished = done;
        }
        Path dir = null;
        Process qemu = null;
        try {
            deleteTree(scratch);
            Files.createDirectories(scratch.getParent());
            dir = Files.createDirectory(scratch, PosixFilePermissions.asFileAttribute(VmPaths.DIRECTORY));
            VmPaths paths = new VmPaths(dir);
            VmPaths.createPrivate(paths.consoleLog());
            List<String> argv = new ArrayList<>();
            if (Files.isExecutable(TIMEOUT)) {
                // The probe must end even if the runtime is killed while it runs: a hung KVM guest spins a core.
                argv.addAll(List.of(TIMEOUT.toString(), "--signal=TERM", "--kill-after=5", (timeout.toSeconds() + 5) + "s"));
            }
            if (Files.isExecutable(NICE)) {
                argv.addAll(List.of(NICE.toString(), "-n", "19")); // a spinning probe must not slow real guests down
            }
            argv.addAll(commandLine.build(VmSpec.of("kvm-probe", 1, 256), "qemu64", Accelerator.KVM, paths, image));
            qemu = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(paths.qemuLog().toFile()).start();
            running = qemu;
            if (cancelled) {
                return new Verdict(false, "the probe was cancelled");
            }
            ConsoleWatcher console = new ConsoleWatcher(paths.consoleLog());
            long t0 = System.nanoTime();
            long deadline = t0 + timeout.toNanos();
            while (System.nanoTime() < deadline && !cancelled) {
                console.poll();
                if (console.bannerSeen()) {
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    return new Verdict(true, "a Linux guest booted under -accel kvm in " + millis + " ms", Instant.now(), false);
                }
                if (qemu.waitFor(100, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        return new Verdict(false, "the probe was cancelled");
                    }
                    // killed by a signal (128+N) or by timeout(1) (124): nothing learnt about KVM, so nothing to keep
                    boolean killed = qemu.exitValue() >= 124;
                    return new Verdict(false, "QEMU exited with status " + qemu.exitValue() + " under -accel kvm: "
                            + orNothing(QemuVm.tail(paths.qemuLog(), 3)), killed ? null : Instant.now(), false);
                }
            }
            if (cancelled) {
                return new Verdict(false, "the probe was cancelled");
            }
            console.poll();
            String last = console.lastLine();
            return new Verdict(false, "a Linux guest under -accel kvm printed no banner within " + timeout.toSeconds() + " s"
                    + " (console: " + (last.isEmpty() ? "empty" : "ends with '" + last + "'") + "; QEMU: "
                    + orNothing(QemuVm.tail(paths.qemuLog(), 2)) + ")", Instant.now(), false);
        } catch (IOException e) {
            return new Verdict(false, "the probe could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(false, "the probe was interrupted");
        } finally {
            running = null;
            if (qemu != null) {
                qemu.destroy(); // SIGTERM, which timeout(1) hands on to QEMU
                try {
                    if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                        qemu.descendants().forEach(ProcessHandle::destroyForcibly); // QEMU itself, below timeout(1)
                        qemu.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (dir != null) {
                deleteTree(dir);
            }
            done.countDown();
        }
    }

    /**
     * Ends a probe that is running (the hypervisor is going away), which then reports itself
     * cancelled, and waits a while for it to stop its QEMU and remove its files.
     */
    void cancel() {
        CountDownLatch done;
        synchronized (this) {
            cancelled = true;
            done = finished;
        }
        Process p = running;
        if (p != null) {
            p.destroy();
        }
        try {
            done.await(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String orNothing(String s) {
        return s.isEmpty() ? "nothing printed" : s;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }
}
