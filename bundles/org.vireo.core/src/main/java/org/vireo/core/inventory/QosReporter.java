package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.OvercommitSettings;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.inventory.QosService;
import org.vireo.api.inventory.VmCpuQos;
import org.vireo.api.inventory.VmMemoryQos;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.VmMemory;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.VireoException;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.core.store.VmDocument;

/**
 * The {@link QosService}: what the active policies make of a host now. The rows are the VMs of
 * the inventory that the hypervisor's snapshot reports holding resources on the host (never its
 * privileged domain); the decisions are the active policies' answers to the same snapshots the
 * hypervisor gives them: the runnable VMs and their last demand for the CPU policy, the VMs'
 * memory figures for the reclaim policy. Reads only; takes no lock.
 * <p>
 * It also keeps the memory overcommit ratios in core's configuration {@value Inventory#PID}:
 * {@link #setOvercommit} checks a new ratio with {@link Settings}' rules, writes the
 * configuration through ConfigAdmin and has the inventory apply it at once, so that the next
 * admission uses it.
 */
@Component(service = QosService.class)
public final class QosReporter implements QosService {
    private static final Logger LOG = Logger.getLogger(QosReporter.class.getName());
    private static final int PAGES_PER_MIB = MemoryFigures.PAGES_PER_MIB;

    private final Inventory inventory;
    private final CoreConfiguration configuration;

    /**
     * @param inventory the inventory
     * @param admin ConfigAdmin, which holds core's configuration
     */
    @Activate
    public QosReporter(@Reference Inventory inventory, @Reference ConfigurationAdmin admin) {
        this(inventory, new ConfigAdminCoreConfiguration(admin));
    }

    /**
     * @param inventory the inventory
     * @param configuration core's configuration
     */
    QosReporter(Inventory inventory, CoreConfiguration configuration) {
        this.inventory = inventory;
        this.configuration = configuration;
    }

    @Override
    public OvercommitSettings overcommit() {
        return inventory.settings().overcommitSettings(Settings.configuresGlobal(configuration.read()));
    }

    @Override
    public synchronized OvercommitSettings setOvercommit(String cluster, String ratio) {
        Map<String, Object> next = OvercommitChange.apply(configuration.read(), cluster, ratio);
        configuration.write(next);
        // read, not from: core logs what it ignores once, when ConfigAdmin hands it the configuration
        Settings settings = Settings.read(OvercommitChange.config(next));
        inventory.apply(settings);
        return settings.overcommitSettings(Settings.configuresGlobal(next));
    }

    @Override
    public CpuQosReport cpu(String host) {
        Live live = live(host);
        List<VmSpec> runnable = live.rows().stream().filter(v -> v.state() == VmState.RUNNING).map(VmSnapshot::spec)
                .collect(Collectors.toList());
        Map<String, Double> demands = new HashMap<>();
        live.rows().forEach(v -> demands.put(v.name(), v.cpu().demandMhz()));
        CpuSnapshot snapshot = AdmissionControl.cpuSnapshot(live.spec(), live.profile(), runnable, demands);

        List<String> warnings = new ArrayList<>(live.warnings());
        Map<String, Double> entitled = new HashMap<>();
        Optional<ActivePolicy<CpuQosPolicy>> policy = ActivePolicy.of(inventory.policies(), PolicyFamily.CPU, CpuQosPolicy.class);
        CpuAllocation allocation = policy.map(p -> allocate(p, snapshot, warnings)).orElse(null);
        if (allocation != null) {
            for (CpuEntitlement e : allocation.entitlements()) {
                entitled.put(e.vm(), e.entitledMhz());
            }
            warnings.addAll(allocation.warnings());
        } else {
            if (policy.isEmpty()) {
                warnings.add("no CPU policy is installed: the hypervisor divides CPU equally among the vCPUs of the running VMs");
            }
            live.rows().forEach(v -> entitled.put(v.name(), v.cpu().entitledMhz()));
        }

        List<VmCpuQos> rows = new ArrayList<>();
        long reserved = 0;
        for (VmSnapshot v : live.rows()) {
            VmSpec s = v.spec();
            double entitlement = v.state() == VmState.RUNNING ? entitled.getOrDefault(v.name(), 0.0) : 0;
            rows.add(new VmCpuQos(v.name(), s.vcpus(), s.cpu().limitMhz(), s.cpu().reservationMhz(), s.cpu().shares(),
                    v.cpu().demandMhz(), entitlement, v.cpu().usedMhz()));
            reserved += s.cpu().reservationMhz();
        }
        return new CpuQosReport(host, policy.map(ActivePolicy::name).orElse(""), snapshot.capacityMhz(), reserved, rows, warnings);
    }

    private static CpuAllocation allocate(ActivePolicy<CpuQosPolicy> policy, CpuSnapshot snapshot, List<String> warnings) {
        try {
            CpuAllocation allocation = policy.policy().allocate(snapshot);
            if (allocation != null) {
                return allocation;
            }
            warnings.add("CPU policy '" + policy.name() + "' gave no decision; showing the hypervisor's last entitlements");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CPU policy '" + policy.name() + "' failed on host '" + snapshot.host() + "': " + e, e);
            warnings.add("CPU policy '" + policy.name() + "' failed (" + e + "); showing the hypervisor's last entitlements");
        }
        return null;
    }

    @Override
    public MemoryReport memory(String host) {
        Live live = live(host);
        HostSpec spec = live.spec();
        TypeProfile profile = live.profile();
        List<VmMemory> vms = new ArrayList<>();
        List<VmMemoryQos> rows = new ArrayList<>();
        for (VmSnapshot v : live.rows()) {
            MemoryFigures m = v.memory();
            VmSpec s = v.spec();
            vms.add(new VmMemory(v.name(), m.configuredPages(), s.memory().reservationMiB() * PAGES_PER_MIB, s.memory().shares(),
                    m.residentPages(), m.sharedPages(), m.balloonedPages(), m.swappedPages(),
                    m.configuredPages() == 0 ? 0 : Math.min(1, (double) m.activePages() / m.configuredPages())));
            rows.add(new VmMemoryQos(v.name(), s.memoryMiB(), s.memory().reservationMiB(), s.memory().shares(),
                    MemoryFigures.toMiB(m.residentPages()), MemoryFigures.toMiB(m.sharedPages()),
                    MemoryFigures.toMiB(m.balloonedPages()), MemoryFigures.toMiB(m.swappedPages()),
                    MemoryFigures.toMiB(m.activePages())));
        }
        long hypervisorPages = (profile.reservedMemoryMiB() + rows.size() * profile.perVmMemoryOverheadMiB()) * PAGES_PER_MIB;
        MemorySnapshot snapshot = new MemorySnapshot(spec.name(), spec.memoryMiB() * PAGES_PER_MIB, hypervisorPages,
                live.snapshot().freePages(), vms);

        PolicyService policies = inventory.policies();
        Optional<ActivePolicy<MemoryReclaimPolicy>> policy = ActivePolicy.of(policies, PolicyFamily.MEMORY, MemoryReclaimPolicy.class);
        MemoryState state = MemoryState.HIGH;
        if (policy.isPresent()) {
            ReclaimPlan plan;
            try {
                plan = policy.get().policy().plan(snapshot, techniques(policies));
            } catch (RuntimeException e) {
                throw new VireoException("cannot tell the memory state of host '" + host + "': memory policy '" + policy.get().name()
                        + "' failed: " + e, e);
            }
            if (plan != null && plan.state() != null) {
                state = plan.state();
            }
        }
        return new MemoryReport(host, policy.map(ActivePolicy::name).orElse(""), state, spec.memoryMiB(),
                MemoryFigures.toMiB(hypervisorPages), MemoryFigures.toMiB(live.snapshot().freePages()),
                MemoryFigures.toMiB(live.snapshot().sharedSavedPages()),
                AdmissionControl.memoryLimit(spec, profile, inventory.settings().overcommitRatio(spec.cluster())), rows);
    }

    /** @return the techniques whose strategy bundles are installed, as the hypervisor offers them to the reclaim policy */
    private static Set<MemoryTechnique> techniques(PolicyService policies) {
        Set<MemoryTechnique> available = EnumSet.noneOf(MemoryTechnique.class);
        for (MemoryReuseStrategy strategy : policies.all(MemoryReuseStrategy.class)) {
            try {
                MemoryTechnique technique = strategy.technique();
                if (technique != null) {
                    available.add(technique);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a memory strategy cannot name its technique: " + e, e);
            }
        }
        return available;
    }

    /**
     * A host's live state as the reports need it.
     *
     * @param spec the host
     * @param profile its type's overheads
     * @param snapshot the hypervisor's snapshot
     * @param rows the inventory's VMs on the host that hold resources there, in the snapshot's order
     * @param warnings what does not add up, for people
     */
    private record Live(HostSpec spec, TypeProfile profile, HostSnapshot snapshot, List<VmSnapshot> rows, List<String> warnings) {
    }

    private Live live(String host) {
        HostSpec spec = inventory.host(host).host();
        Attacher.Attachment attachment = inventory.attacher().require(spec);
        HostSnapshot snapshot;
        try {
            snapshot = attachment.hypervisor().snapshot(host);
        } catch (HypervisorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HypervisorException("hypervisor '" + attachment.hypervisorName() + "' cannot report host '" + host + "': " + e, e);
        }
        if (snapshot == null) {
            throw new HypervisorException("hypervisor '" + attachment.hypervisorName() + "' reported nothing for host '" + host + "'");
        }
        Set<String> placed = inventory.vmsOn(host).stream().map(VmDocument::name).collect(Collectors.toSet());
        List<VmSnapshot> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (VmSnapshot v : snapshot.vms()) {
            if (attachment.privileged(v.name()) || !v.state().isActive()) {
                continue;
            }
            if (placed.contains(v.name())) {
                rows.add(v);
            } else {
                warnings.add("host runs '" + v.name() + "', which is not a VM of the inventory on this host");
            }
        }
        return new Live(spec, attachment.profile(), snapshot, rows, warnings);
    }
}
