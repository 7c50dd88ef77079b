package org.vireo.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.MemoryReport;
import org.vireo.api.inventory.QosService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.MemoryQos;
import org.vireo.api.model.Units;

/** The {@code mem:*} commands: a host's memory state as the active reclaim policy sees it, and a VM's memory reservation and shares. */
@Component(service = MemCommands.class, property = {
    "osgi.command.scope=mem",
    "osgi.command.function=show",
    "osgi.command.function=set"})
public final class MemCommands {
    private static final String SET_USAGE = "mem:set VM [--reservation SIZE] [--shares N]";

    private final QosService qos;
    private final VmAdminService vms;

    /**
     * @param qos the reports of the active policies
     * @param vms the inventory of VMs
     */
    @Activate
    public MemCommands(@Reference QosService qos, @Reference VmAdminService vms) {
        this.qos = qos;
        this.vms = vms;
    }

    @Descriptor("show a host's memory: its state, free and hypervisor memory, and per VM what is resident, shared, ballooned, swapped")
    public String show(
            @Descriptor("answer with a JSON object")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the host's name") String host) {
        MemoryReport report = qos.memory(host);
        return json ? MemFormat.json(report) : MemFormat.table(report);
    }

    @Descriptor("change a VM's memory QoS; a running VM's new reservation is admission-checked")
    public String set(
            @Descriptor("memory reservation: 256M, 1G (default: unchanged)")
            @Parameter(names = "--reservation", absentValue = Args.ABSENT) String reservation,
            @Descriptor("memory shares, 1 to 1000000 (default: unchanged)")
            @Parameter(names = "--shares", absentValue = Args.ABSENT) String shares,
            @Descriptor("the VM's name") String... words) {
        String name = Words.parse(words, SET_USAGE).single("name", SET_USAGE);
        if (!Args.given(reservation) && !Args.given(shares)) {
            throw new InvalidSpecException("memory", null, "at least one of --reservation and --shares (" + SET_USAGE + ")");
        }
        MemoryQos q = vms.vm(name).spec().memory();
        long newReservation = Args.given(reservation) ? Units.parseMiB("memory.reservationMiB", reservation.trim()) : q.reservationMiB();
        int newShares = Args.given(shares) ? Args.integer("memory.shares", shares) : q.shares();
        return MemFormat.line(vms.setMemoryQos(name, new MemoryQos(newReservation, newShares)));
    }
}
