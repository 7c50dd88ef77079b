package org.vireo.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.model.VmSpec;

/**
 * Decides whether KVM can run Linux guests here by booting one: opening {@code /dev/kvm} is no
 * proof (a software KVM such as kvm_pvm opens fine and then hangs every stock kernel). The guest
 * must print its banner under {@code -accel kvm} within the timeout.
 */
final class KvmProbe {
    /**
     * @param usable whether KVM booted the guest
     * @param reason for people: what was tried and what happened
     */
    record Verdict(boolean usable, String reason) {
    }

    private static final Path TIMEOUT = Path.of("/usr/bin/timeout");
    private static final Path NICE = Path.of("/usr/bin/nice");

    private final Path device;
    private final QemuCommandLine commandLine;
    private final Supplier<GuestImage> guest;
    private final Duration timeout;
    private volatile Process running;
    private volatile boolean cancelled;

    /**
     * @param device the KVM device, normally {@code /dev/kvm}
     * @param commandLine builds the probe guest's command line
     * @param guest the guest to boot
     * @param timeout how long the guest may take to print its banner; zero disables the probe
     */
    KvmProbe(Path device, QemuCommandLine commandLine, Supplier<GuestImage> guest, Duration timeout) {
        this.device = device;
        this.commandLine = commandLine;
        this.guest = guest;
        this.timeout = timeout;
    }

    Verdict run() {
        if (timeout.isZero() || timeout.isNegative()) {
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
        Path dir = null;
        Process qemu = null;
        try {
            dir = Files.createTempDirectory("vireo-kvm-probe", PosixFilePermissions.asFileAttribute(VmPaths.DIRECTORY));
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
                    return new Verdict(true, "a Linux guest booted under -accel kvm in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                }
                if (qemu.waitFor(100, TimeUnit.MILLISECONDS)) {
                    return new Verdict(false, "QEMU exited with status " + qemu.exitValue() + " under -accel kvm: "
                            + orNothing(QemuVm.tail(paths.qemuLog(), 3)));
                }
            }
            if (cancelled) {
                return new Verdict(false, "the probe was cancelled");
            }
            console.poll();
            String last = console.lastLine();
            return new Verdict(false, "a Linux guest under -accel kvm printed no banner within " + timeout.toSeconds() + " s"
                    + " (console: " + (last.isEmpty() ? "empty" : "ends with '" + last + "'") + "; QEMU: "
                    + orNothing(QemuVm.tail(paths.qemuLog(), 2)) + ")");
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
                        qemu.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteTree(dir);
        }
    }

    /** Ends a probe that is running (the hypervisor is going away); it then reports itself cancelled. */
    void cancel() {
        cancelled = true;
        Process p = running;
        if (p != null) {
            p.destroy();
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
