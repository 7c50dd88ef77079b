package org.vireo.hypervisor.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.VmSpec;
import org.vireo.hypervisor.qemu.cgroup.CgroupTree;

/**
 * The {@code qemu} hypervisor: every VM is one QEMU process booting the Vireo guest, under TCG on
 * hosted hosts and under KVM on hybrid hosts where a boot probe proved KVM works. QEMU processes
 * outlive the runtime; {@link #attachHost} takes them over again.
 * <p>
 * Once per sample interval each host asks the policies in force (core's {@link PolicyService})
 * and enforces their decisions on its guests: CPU through one cgroup per VM, memory through the
 * balloon, KSM and the memory cgroup ({@link HostControl}).
 */
@Component(service = Hypervisor.class, property = Hypervisor.NAME + "=" + QemuHypervisor.NAME,
        configurationPid = QemuHypervisor.PID)
@Designate(ocd = QemuConfig.class)
public final class QemuHypervisor implements Hypervisor {
    /** The value of {@value Hypervisor#NAME}. */
    public static final String NAME = "qemu";
    /** The configuration PID. */
    public static final String PID = "org.vireo.hypervisor.qemu";
    /** The framework property naming Vireo's data folder, where the re-attach index lives by default. */
    static final String DATA_PROPERTY = "vireo.data";

    private final Settings settings;
    private final GuestLocator guests;
    private final StateIndex index;
    private final ProcFs proc;
    private final QemuCommandLine commandLine;
    private final KvmProbe kvmProbe;
    private final KvmVerdictCache kvmVerdicts;
    private final Path kvmDevice;
    private final Path osrelease;
    private final Map<String, QemuHost> hosts = new ConcurrentHashMap<>();
    private final Policies policies;
    private final KsmControl ksm;
    private final CgroupTree cgroups;
    private final String noCgroups;
    private final ScheduledExecutorService ticker;
    private final long startNanos = System.nanoTime();
    private volatile CompletableFuture<KvmProbe.Verdict> kvm;
    private volatile String qemuVersion;

    /**
     * Core's policy service, fetched at the first interval rather than injected: core binds the
     * hypervisors, so taking core's service while this one is activated would be a cycle.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ComponentServiceObjects<PolicyService> policyObjects;
    private ComponentServiceObjects<PolicyService> fetchedFrom;
    private PolicyService fetched;

    /**
     * @param config the configuration
     * @param context the bundle's context: the {@value GuestLocator#PROPERTY} property and the data area
     */
    @Activate
    public QemuHypervisor(QemuConfig config, BundleContext context) {
        this(Settings.from(config), new GuestLocator(context.getProperty(GuestLocator.PROPERTY), System.getenv(GuestLocator.ENVIRONMENT),
                System.getProperty("user.home")), stateDirectory(config, context), ProcFs.system(), Path.of("/dev/kvm"), null,
                Path.of("/"));
    }

    /** A hypervisor without policies (CPU divided equally per vCPU, no reclaim, no page sharing). */
    QemuHypervisor(Settings settings, GuestLocator guests, Path stateDirectory, ProcFs proc, Path kvmDevice) {
        this(settings, guests, stateDirectory, proc, kvmDevice, Policies.NONE, Path.of("/"));
    }

    /**
     * @param settings the settings
     * @param guests finds the guest
     * @param stateDirectory the re-attach index (and the KSM settings found, while KSM runs; the KVM
     *        verdict kept; the KVM probe's files, while it runs); its path names the runtime's cgroup
     * @param proc the proc reader
     * @param kvmDevice the KVM device
     * @param policies the policies in force, or null for core's policy service
     * @param root where {@code /proc}, {@code /sys} and the cgroup mounts are, normally {@code /}
     */
    QemuHypervisor(Settings settings, GuestLocator guests, Path stateDirectory, ProcFs proc, Path kvmDevice, Policies policies,
            Path root) {
        this.settings = settings;
        this.policies = policies != null ? policies : Policies.from(this::policyService);
        this.guests = guests;
        this.index = new StateIndex(stateDirectory);
        this.proc = proc;
        this.commandLine = new QemuCommandLine(settings.qemuBinary(), settings.machine());
        // the probe's scratch files and its kept verdict live in the hypervisor's folder: a killed runtime leaks nothing in /tmp
        this.kvmProbe = new KvmProbe(kvmDevice, commandLine, guests::locate, settings.kvmProbeTimeout(),
                index.root().resolve(".kvm-probe"));
        this.kvmVerdicts = new KvmVerdictCache(index.root().resolve(".kvm-verdict.properties"));
        this.kvmDevice = kvmDevice;
        this.osrelease = root.resolve("proc/sys/kernel/osrelease");
        kvmProbe.removeLeftovers();
        this.ksm = new KsmControl(root.resolve("sys/kernel/mm/ksm"), index.root().resolve(".ksm-found.properties"));
        CgroupTree tree = null;
        String why = "disabled by configuration (cgroups=false)";
        if (settings.cgroups()) {
            try {
                // named for the index: another runtime (another index) gets another group, a restart the same one
                tree = CgroupTree.detect(root, settings.cgroupParent(), CgroupTree.groupFor(stateDirectory));
            } catch (org.vireo.api.model.VireoException e) {
                why = e.getMessage();
            }
        }
        this.cgroups = tree;
        this.noCgroups = why;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vireo-qemu-sampler");
            t.setDaemon(true);
            return t;
        });
        long tick = Settings.TICK.toMillis();
        ticker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private static Path stateDirectory(QemuConfig config, BundleContext context) {
        String configured = config.stateDirectory() == null ? "" : config.stateDirectory().trim();
        if (!configured.isEmpty()) {
            return Path.of(configured);
        }
        // The data folder outlives the runtime; the framework cache may be cleaned at every launch.
        String vireoData = context.getProperty(DATA_PROPERTY);
        if (vireoData != null && !vireoData.isBlank()) {
            return Path.of(vireoData.trim(), "qemu-running");
        }
        File data = context.getDataFile("running");
        return data != null ? data.toPath() : Path.of(System.getProperty("java.io.tmpdir"), "vireo-qemu-running");
    }

    /**
     * Lets go of every QEMU process without stopping it (a new instance re-attaches them), and
     * writes back the KSM settings found.
     */
    @Deactivate
    public void deactivate() {
        kvmProbe.cancel();
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hosts.values().forEach(QemuHost::detachAll);
        hosts.clear();
        ksm.restore();
    }

    /** @return core's policy service, or {@code null} while there is none; SCR releases it on unbind */
    private synchronized PolicyService policyService() {
        ComponentServiceObjects<PolicyService> current = policyObjects;
        if (current != fetchedFrom) {
            fetchedFrom = current;
            fetched = current == null ? null : current.getService();
        }
        return fetched;
    }

    @Override
    public HostSnapshot attachHost(HostSpec host, TypeProfile profile) {
        QemuHost existing = hosts.get(host.name());
        if (existing != null) {
            return existing.snapshot();
        }
        if (host.type() == HypervisorKind.BAREMETAL) {
            throw new HypervisorException("host " + host.name() + ": the qemu hypervisor runs hosted (TCG) and hybrid (KVM) hosts;"
                    + " a baremetal host needs a Xen-style hypervisor");
        }
        String version = qemuVersion();
        CompletableFuture<KvmProbe.Verdict> probe = probe();
        Accelerator accelerator = Accelerator.forKind(host.type());
        if (accelerator == Accelerator.KVM) {
            KvmProbe.Verdict verdict = probe.join();
            if (!verdict.usable()) {
                throw new HypervisorException("host " + host.name() + " is hybrid (KVM), but KVM cannot run Linux guests here: "
                        + verdict.reason() + "; add it with type hosted to run its VMs under TCG");
            }
        }
        QemuHost h = new QemuHost(host, profile, accelerator, commandLine, guests::locate, index, proc, settings.timing(),
                this::clockMillis, () -> detail(version, accelerator),
                new HostControl.Setup(policies, ksm, cgroups, noCgroups, settings.memoryOverheadMiB()));
        h.reattach();
        hosts.put(host.name(), h);
        return h.snapshot();
    }

    @Override
    public void detachHost(String host) {
        QemuHost h = hosts.remove(host);
        if (h != null) {
            h.detachAll();
        }
    }

    @Override
    public VmSnapshot start(String host, VmSpec vm, String directory) {
        return host(host).start(vm, directory);
    }

    @Override
    public void stop(String host, String vm, boolean force) {
        host(host).stop(vm, force);
    }

    @Override
    public void pause(String host, String vm) {
        host(host).pause(vm);
    }

    @Override
    public void resume(String host, String vm) {
        host(host).resume(vm);
    }

    @Override
    public void crash(String host, String vm) {
        host(host).crash(vm);
    }

    @Override
    public void reconfigure(String host, VmSpec vm) {
        host(host).reconfigure(vm);
    }

    @Override
    public HostSnapshot snapshot(String host) {
        return host(host).snapshot();
    }

    @Override
    public List<HypervisorEvent> events(String host, long afterSequence) {
        return host(host).events(afterSequence);
    }

    /**
     * @param host an attached host
     * @param vm one of its VMs
     * @return the VM's QEMU process, for the memory and CPU enforcement code of this bundle
     */
    QemuVm vm(String host, String vm) {
        return host(host).require(vm);
    }

    /**
     * @param host an attached host
     * @return the enforcement of QoS on its VMs
     */
    HostControl control(String host) {
        return host(host).control();
    }

    /** @return the KVM probe's verdict, waiting for it if it is running */
    KvmProbe.Verdict kvmVerdict() {
        return probe().join();
    }

    private QemuHost host(String name) {
        QemuHost h = hosts.get(name);
        if (h == null) {
            throw new HypervisorException("host " + name + " is not attached to the qemu hypervisor; attached: "
                    + (hosts.isEmpty() ? "none" : String.join(", ", new TreeSet<>(hosts.keySet()))));
        }
        return h;
    }

    private void tick() {
        long now = System.nanoTime();
        for (QemuHost h : hosts.values()) {
            try {
                h.tick(now);
            } catch (RuntimeException e) {
                // a host's failing interval must not stop the ticker for the others
            }
        }
        ksm.apply();
    }

    private long clockMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private synchronized CompletableFuture<KvmProbe.Verdict> probe() {
        if (kvm == null) {
            kvm = CompletableFuture.supplyAsync(this::decideKvm, r -> {
                Thread t = new Thread(r, "vireo-kvm-probe");
                t.setDaemon(true);
                t.start();
            });
        }
        return kvm;
    }

    /** The verdict kept from an earlier start where nothing that decides it changed, else a probe's. */
    private KvmProbe.Verdict decideKvm() {
        if (!kvmProbe.enabled()) {
            return kvmProbe.run();
        }
        KvmVerdictCache.Key key;
        try {
            key = KvmVerdictCache.Key.of(settings.qemuBinary(), qemuVersion(), osrelease, kvmDevice, guests.locate().kernel(),
                    kvmProbe.timeout().toSeconds(), System.getenv("PATH"));
        } catch (HypervisorException e) {
            return kvmProbe.run(); // no QEMU or no guest: the probe says so, and there is nothing to keep
        }
        return kvmVerdicts.verdict(key, kvmProbe::run);
    }

    private String detail(String version, Accelerator accelerator) {
        CompletableFuture<KvmProbe.Verdict> probe = kvm;
        String verdict = probe == null || !probe.isDone() ? "running" : probe.join().describe();
        String guest;
        try {
            guest = guests.locate().describe() + " from " + guests.directory();
        } catch (HypervisorException e) {
            guest = "missing (" + guests.directory() + "; build it with guest/build.sh)";
        }
        return version + ", " + accelerator.name() + "; KVM probe: " + verdict + "; guest: " + guest;
    }

    /** Runs {@code qemu --version} once; a missing QEMU makes every attach fail. */
    private synchronized String qemuVersion() {
        if (qemuVersion == null) {
            try {
                Process p = new ProcessBuilder(settings.qemuBinary(), "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new HypervisorException(settings.qemuBinary() + " --version failed: " + out);
                }
                String first = out.lines().findFirst().orElse(out);
                qemuVersion = first.replaceFirst("(?i)^QEMU emulator version\\s*", "QEMU ");
            } catch (IOException e) {
                throw new HypervisorException("QEMU is missing: cannot run " + settings.qemuBinary() + " (" + e.getMessage()
                        + "); install Debian's qemu-system-x86 (guest/build.sh does)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("interrupted while asking " + settings.qemuBinary() + " for its version", e);
            }
        }
        return qemuVersion;
    }
}
