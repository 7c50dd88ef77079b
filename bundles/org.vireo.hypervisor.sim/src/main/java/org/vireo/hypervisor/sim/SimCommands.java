package org.vireo.hypervisor.sim;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.inventory.HostAdminService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.hypervisor.sim.engine.SimEngine;

/**
 * The {@code sim:*} commands: the simulation's speed, batch runs, scenario files and status.
 * Hosts and VMs of a scenario are created through core's services like {@code host:add} and
 * {@code vm:create} would, never behind core's back.
 */
@Component(service = SimCommands.class, property = {
    "osgi.command.scope=sim",
    "osgi.command.function=speed",
    "osgi.command.function=run",
    "osgi.command.function=scenario",
    "osgi.command.function=status"})
public final class SimCommands {
    private final SimControl sim;
    private final HostAdminService hosts;
    private final VmAdminService vms;

    /**
     * @param sim the simulation
     * @param hosts core's hosts
     * @param vms core's VMs
     */
    @Activate
    public SimCommands(@Reference SimControl sim, @Reference HostAdminService hosts, @Reference VmAdminService vms) {
        this.sim = sim;
        this.hosts = hosts;
        this.vms = vms;
    }

    @Descriptor("show the speed factor of real-time pacing")
    public String speed() {
        return String.format(Locale.ROOT, "sim speed: %s virtual s per wall s (pacing %s)", factor(sim.speed()), sim.pacing());
    }

    @Descriptor("set the speed factor of real-time pacing: virtual seconds per wall second, 0 holds the clock")
    public String speed(@Descriptor("factor, 0 to 1000000, e.g. 1, 10, 0.5") String factor) {
        double f;
        try {
            f = Double.parseDouble(factor.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("speed", factor, "a factor from 0 (clock held) to 1000000");
        }
        sim.speed(f);
        return speed();
    }

    @Descriptor("advance the simulation by DURATION as fast as possible, then report per-VM CPU work, memory and events")
    public String run(@Descriptor("virtual duration: 30s, 10m, 2h, 1d") String duration) {
        long millis = Durations.parseMillis("duration", duration);
        return sim.run(millis, line -> System.out.println(line)).text();
    }

    @Descriptor("create the hosts and VMs of a JSON scenario file through core, then start the VMs")
    public String scenario(
            @Descriptor("create only, do not start the VMs")
            @Parameter(names = "--no-start", presentValue = "true", absentValue = "false") boolean noStart,
            @Descriptor("the scenario file") String file) {
        Scenario s = Scenario.read(Path.of(file).toAbsolutePath());
        for (var h : s.hosts()) {
            hosts.addHost(h);
        }
        for (Scenario.Placed v : s.vms()) {
            vms.create(v.spec(), v.host());
        }
        int started = 0;
        if (s.start() && !noStart) {
            for (Scenario.Placed v : s.vms()) {
                vms.start(v.spec().name());
                started++;
            }
        }
        return String.format(Locale.ROOT, "scenario %s: %d hosts added, %d VMs created, %d started", file, s.hosts().size(),
                s.vms().size(), started);
    }

    @Descriptor("show the simulation: clock, pacing, speed, interval, CPU policy, hosts and VMs")
    public String status() {
        SimEngine e = sim.engine();
        List<HostSnapshot> all = e.snapshots();
        int vmCount = 0;
        double used = 0;
        for (HostSnapshot h : all) {
            vmCount += h.vms().size();
            used += h.usedMhz();
        }
        return String.format(Locale.ROOT, "clock     %s virtual (%d intervals)%npacing    %s, speed %s%ninterval  %d ms%n"
                + "seed      %d%nCPU       %s%nhosts     %d%nVMs       %d holding resources (privileged domains included), %.0f MHz used",
                Durations.format(e.clockMillis()), e.intervals(), sim.pacing(), factor(sim.speed()), e.intervalMillis(), e.seed(),
                e.cpuPolicyName(), all.size(), vmCount, used);
    }

    private static String factor(double f) {
        return f == Math.rint(f) ? String.valueOf((long) f) : String.valueOf(f);
    }
}
