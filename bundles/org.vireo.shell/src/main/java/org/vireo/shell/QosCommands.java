package org.vireo.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.QosService;
import org.vireo.api.inventory.VmAdminService;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.Units;

/** The {@code qos:*} commands: how the active CPU policy divides a host, and a VM's CPU limit, reservation and shares. */
@Component(service = QosCommands.class, property = {
    "osgi.command.scope=qos",
    "osgi.command.function=show",
    "osgi.command.function=set"})
public final class QosCommands {
    private static final String SET_USAGE = "qos:set VM [--limit FREQ|unlimited] [--reservation FREQ] [--shares N]";

    private final QosService qos;
    private final VmAdminService vms;

    /**
     * @param qos the reports of the active policies
     * @param vms the inventory of VMs
     */
    @Activate
    public QosCommands(@Reference QosService qos, @Reference VmAdminService vms) {
        this.qos = qos;
        this.vms = vms;
    }

    @Descriptor("show how the active CPU policy divides a host: per VM its settings, demand, entitlement and use (MHz)")
    public String show(
            @Descriptor("answer with a JSON object")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the host's name") String host) {
        CpuQosReport report = qos.cpu(host);
        return json ? QosFormat.json(report) : QosFormat.table(report);
    }

    @Descriptor("change a VM's CPU QoS; a running VM's change is admission-checked and applies from the next interval")
    public String set(
            @Descriptor("CPU limit: 2000, 2GHz or unlimited (default: unchanged)")
            @Parameter(names = "--limit", absentValue = Args.ABSENT) String limit,
            @Descriptor("CPU reservation: 500, 1.5GHz (default: unchanged)")
            @Parameter(names = "--reservation", absentValue = Args.ABSENT) String reservation,
            @Descriptor("CPU shares, 1 to 1000000 (default: unchanged)")
            @Parameter(names = "--shares", absentValue = Args.ABSENT) String shares,
            @Descriptor("the VM's name") String... words) {
        String name = Words.parse(words, SET_USAGE).single("name", SET_USAGE);
        if (!Args.given(limit) && !Args.given(reservation) && !Args.given(shares)) {
            throw new InvalidSpecException("cpu", null, "at least one of --limit, --reservation and --shares (" + SET_USAGE + ")");
        }
        CpuQos q = vms.vm(name).spec().cpu();
        Long newLimit = Args.given(limit) ? Args.limitMhz("cpu.limitMhz", limit) : q.limitMhz();
        long newReservation = Args.given(reservation) ? Units.parseMhz("cpu.reservationMhz", reservation.trim()) : q.reservationMhz();
        int newShares = Args.given(shares) ? Args.integer("cpu.shares", shares) : q.shares();
        return QosFormat.line(vms.setCpuQos(name, new CpuQos(newLimit, newReservation, newShares)));
    }
}
