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
import org.vireo.hypervisor.sim.engine.PageAccount;
import org.vireo.hypervisor.sim.engine.SimEngine;

/**
 * The {@code sim:*} commands: the simulation's speed, batch runs, scenario files, status, the
 * page account of a host ({@code sim:pages}) and a guest write at a chosen page ({@code sim:write}).
 * Hosts and VMs of a scenario are created through core's services like {@code host:add} and
 * {@code vm:create} would, never behind core's back.
 */
@Component(service = SimCommands.class, property = {
    "osgi.command.scope=sim",
    "osgi.command.function=speed",
    "osgi.command.function=run",
    "osgi.command.function=scenario",
    "osgi.command.function=status",
    "osgi.command.function=pages",
    "osgi.command.function=write"})
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

    @Descriptor("account for every guest page of a host: pages by content (zero, image, compressible, random) and location"
            + " (private, shared, ballooned, swapped), which add up to each VM's configured pages")
    public String pages(
            @Descriptor("answer JSON")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("also recount every page one by one (a pass over all guest memory)")
            @Parameter(names = "--audit", presentValue = "true", absentValue = "false") boolean audit,
            @Descriptor("the host") String host) {
        hosts.host(host);
        PageAccount account = sim.engine().pageAccount(host, audit);
        return json ? PageAccountText.json(account) : PageAccountText.text(account);
    }

    @Descriptor("make a running guest write pages from PAGE on (a shared page gets a private copy, a swapped one is faulted back)")
    public String write(
            @Descriptor("pages to write from PAGE on")
            @Parameter(names = "--count", absentValue = "1") long count,
            @Descriptor("the VM") String vm,
            @Descriptor("the first guest page (4 KiB), 0 to its memory in pages - 1") long page) {
        String host = vms.vm(vm).host();
        long written = sim.engine().guestWrite(host, vm, page, count);
        return String.format(Locale.ROOT, "%s wrote %d pages from page %d on host %s", vm, written, page, host);
    }

    private static String factor(double f) {
        return f == Math.rint(f) ? String.valueOf((long) f) : String.valueOf(f);
    }
}
