package org.vireo.hypervisor.sim;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.Hypervisor;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.api.inventory.PolicyService;
import org.vireo.api.memory.MemoryReclaimPolicy;
import org.vireo.api.memory.MemoryReuseStrategy;
import org.vireo.api.model.Check;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;
import org.vireo.hypervisor.sim.engine.PolicySource;
import org.vireo.hypervisor.sim.engine.RealTimePacer;
import org.vireo.hypervisor.sim.engine.SimEngine;

/**
 * The {@code sim} hypervisor: runs every host whose definition names it inside this JVM, on
 * the {@link SimEngine}. The CPU QoS policy in force is pulled from core's
 * {@link PolicyService} at every scheduling interval, and the memory reclaim policy and reuse
 * strategies at every reclaim interval, so a policy swap (or a strategy bundle installed or
 * removed) takes effect at the next one; without a CPU policy (or without core) CPU is divided
 * equally among runnable vCPUs, without memory policies no memory is reclaimed.
 * Configuration PID {@value #PID}.
 */
@Component(service = {Hypervisor.class, SimControl.class}, configurationPid = SimHypervisor.PID,
        property = Hypervisor.NAME + "=sim")
@Designate(ocd = SimHypervisor.Config.class)
public final class SimHypervisor implements Hypervisor, SimControl {
    /** The configuration PID. */
    public static final String PID = "org.vireo.hypervisor.sim";

    /** The simulation's settings. */
    @ObjectClassDefinition(name = "Vireo sim hypervisor",
            description = "The simulated hypervisor: scheduling and reclaim intervals, pacing, speed and seed.")
    public @interface Config {
        /** @return the scheduling interval */
        @AttributeDefinition(description = "Scheduling interval in virtual milliseconds (1 to 3600000): how often CPU is divided,"
                + " workloads write memory and figures are recorded. Default 1000.")
        long intervalMillis() default 1000;

        /** @return the reclaim interval */
        @AttributeDefinition(description = "Memory reclaim interval in virtual milliseconds (1 to 3600000): how often each host's"
                + " memory is given to the reclaim policy and the reuse strategies (page sharing, ballooning, swapping); at most"
                + " once per scheduling interval. Default 1000.")
        long reclaimIntervalMillis() default 1000;

        /** @return the pacing */
        @AttributeDefinition(description = "realtime: the clock follows the wall clock times the speed factor, so figures change"
                + " while you watch; batch: the clock moves only with sim:run.",
                options = {@Option(label = "real time × speed", value = "realtime"), @Option(label = "batch", value = "batch")})
        String pacing() default "realtime";

        /** @return the speed factor */
        @AttributeDefinition(description = "Virtual seconds per wall second in real-time pacing, 0 (held) to 1000000. Default 1.")
        double speed() default 1.0;

        /** @return the master seed */
        @AttributeDefinition(description = "Master seed: every VM's random stream derives from it and the VM's name. Default 1.")
        long seed() default 1;

        /** @return threads stepping hosts */
        @AttributeDefinition(description = "Threads that step hosts in parallel when there are many hosts (1 to 256). Default 2.")
        int threads() default 2;
    }

    private static final long PACER_TICK_MILLIS = 100;

    /**
     * Core's policy service, fetched at the first interval rather than injected: core itself
     * binds this hypervisor, so taking core's service while being activated would be a cycle.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ComponentServiceObjects<PolicyService> policies;
    private ComponentServiceObjects<PolicyService> fetchedFrom;
    private PolicyService fetched;

    private final SimEngine engine;
    private final RealTimePacer pacer;
    private volatile String pacing;

    /**
     * @param config the settings
     * @throws InvalidSpecException naming a bad setting
     */
    @Activate
    public SimHypervisor(Config config) {
        long interval = Check.range("intervalMillis", config.intervalMillis(), 1, 3_600_000);
        int threads = (int) Check.range("threads", config.threads(), 1, 256);
        this.pacing = pacing(config.pacing());
        long reclaim = Check.range("reclaimIntervalMillis", config.reclaimIntervalMillis(), 1, 3_600_000);
        this.engine = new SimEngine(config.seed(), interval, new CorePolicies(), threads);
        engine.reclaimIntervalMillis(reclaim);
        this.pacer = new RealTimePacer(engine, config.speed(), PACER_TICK_MILLIS, System::currentTimeMillis);
        if (pacing.equals("batch")) {
            pacer.hold();
        }
        pacer.start();
    }

    /** @param config the new settings: intervals, pacing and speed apply at once; seed and threads at the next start */
    @Modified
    void modified(Config config) {
        engine.intervalMillis(Check.range("intervalMillis", config.intervalMillis(), 1, 3_600_000));
        engine.reclaimIntervalMillis(Check.range("reclaimIntervalMillis", config.reclaimIntervalMillis(), 1, 3_600_000));
        String next = pacing(config.pacing());
        pacer.speed(config.speed());
        if (!next.equals(pacing)) {
            if (next.equals("batch")) {
                pacer.hold();
            } else {
                pacer.release();
            }
            pacing = next;
        }
    }

    @Deactivate
    void deactivate() {
        pacer.close();
        engine.close();
    }

    /** The policies in force, as core's policy service says at each call. */
    private final class CorePolicies implements PolicySource {
        @Override
        public Optional<CpuQosPolicy> cpuPolicy() {
            PolicyService p = policyService();
            return p == null ? Optional.empty() : p.active(CpuQosPolicy.class);
        }

        @Override
        public Optional<MemoryReclaimPolicy> reclaimPolicy() {
            PolicyService p = policyService();
            return p == null ? Optional.empty() : p.active(MemoryReclaimPolicy.class);
        }

        @Override
        public List<MemoryReuseStrategy> reuseStrategies() {
            PolicyService p = policyService();
            return p == null ? List.of() : p.all(MemoryReuseStrategy.class);
        }
    }

    /** @return core's policy service, or {@code null} while there is none; SCR releases it on unbind */
    private synchronized PolicyService policyService() {
        ComponentServiceObjects<PolicyService> current = policies;
        if (current != fetchedFrom) {
            fetchedFrom = current;
            fetched = current == null ? null : current.getService();
        }
        return fetched;
    }

    private static String pacing(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("realtime") && !t.equals("batch")) {
            throw new InvalidSpecException("pacing", text, "realtime or batch");
        }
        return t;
    }

    // ---------------------------------------------------------------- Hypervisor

    @Override
    public HostSnapshot attachHost(HostSpec host, TypeProfile profile) {
        return engine.attach(host, profile);
    }

    @Override
    public void detachHost(String host) {
        engine.detach(host);
    }

    @Override
    public VmSnapshot start(String host, VmSpec vm, String directory) {
        return engine.start(host, vm);
    }

    @Override
    public void stop(String host, String vm, boolean force) {
        engine.stop(host, vm, force);
    }

    @Override
    public void pause(String host, String vm) {
        engine.pause(host, vm);
    }

    @Override
    public void resume(String host, String vm) {
        engine.resume(host, vm);
    }

    @Override
    public void crash(String host, String vm) {
        engine.crash(host, vm);
    }

    @Override
    public void reconfigure(String host, VmSpec vm) {
        engine.reconfigure(host, vm);
    }

    @Override
    public HostSnapshot snapshot(String host) {
        return engine.snapshot(host);
    }

    @Override
    public List<HypervisorEvent> events(String host, long afterSequence) {
        return engine.events(host, afterSequence);
    }

    // ---------------------------------------------------------------- SimControl

    @Override
    public SimEngine engine() {
        return engine;
    }

    @Override
    public double speed() {
        return pacer.speed();
    }

    @Override
    public double speed(double factor) {
        pacer.speed(factor);
        return pacer.speed();
    }

    @Override
    public String pacing() {
        return pacing;
    }

    @Override
    public RunReport run(long millis, Consumer<String> progress) {
        pacer.hold();
        try {
            return BatchRun.run(engine, millis, progress);
        } finally {
            pacer.release();
        }
    }
}
