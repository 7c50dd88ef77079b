package org.vireo.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.CpuQosReport;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.VmCpuQos;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;

class QosCommandsTest {
    private final FakeQos qos = new FakeQos();
    private final FakeVms vms = new FakeVms();
    private final QosCommands commands = new QosCommands(qos, vms);

    QosCommandsTest() {
        qos.cpu.put("h1", new CpuQosReport("h1", "credit", 2827.5, 2000, List.of(
                new VmCpuQos("vm1", 1, null, 2000, 1000, 3000, 1413.75, 1413.8),
                new VmCpuQos("vm2", 2, 2000L, 0, 2000, 6000, 1413.75, 1413.7)),
                List.of("vm1: reservation of 2000 MHz is not honoured by the credit policy")));
        qos.cpu.put("empty", new CpuQosReport("empty", "", 7000, 0, List.of(), List.of()));
    }

    @Test
    void showListsEveryVmWithItsSettingsAndFiguresThenTheWarnings() {
        assertEquals("""
                host h1: CPU policy credit, capacity 2828 MHz, reserved 2000 MHz, used 2828 MHz
                VM   VCPUS      LIMIT  RESERVATION  SHARES  DEMAND  ENTITLEMENT  USED
                vm1      1  unlimited         2000    1000    3000         1414  1414
                vm2      2       2000            0    2000    6000         1414  1414
                warning: vm1: reservation of 2000 MHz is not honoured by the credit policy""", commands.show(false, "h1"));
        assertEquals("host empty: CPU policy none, capacity 7000 MHz, reserved 0 MHz, used 0 MHz\n"
                + "no VMs hold resources on this host", commands.show(false, "empty"));
    }

    @Test
    void showJsonHasTheDocumentedFields() throws Exception {
        JsonNode o = new ObjectMapper().readTree(commands.show(true, "h1"));
        assertEquals(List.of("host", "policy", "capacityMhz", "reservedMhz", "unreservedMhz", "demandMhz", "entitlementMhz",
                "usedMhz", "vms", "warnings"), fields(o));
        assertEquals("credit", o.get("policy").asText());
        assertEquals(827.5, o.get("unreservedMhz").asDouble(), 1e-9);
        assertEquals(9000, o.get("demandMhz").asDouble(), 1e-9);
        assertEquals(2827.5, o.get("entitlementMhz").asDouble(), 1e-9);
        assertEquals(2827.5, o.get("usedMhz").asDouble(), 1e-9);
        JsonNode vm1 = o.get("vms").get(0);
        assertEquals(List.of("vm", "vcpus", "limitMhz", "reservationMhz", "shares", "demandMhz", "entitlementMhz", "usedMhz"),
                fields(vm1));
        assertTrue(vm1.get("limitMhz").isNull(), "unlimited is null");
        assertEquals(2000, o.get("vms").get(1).get("limitMhz").asLong());
        assertEquals(1413.75, vm1.get("entitlementMhz").asDouble(), 1e-9);
        assertEquals("vm1: reservation of 2000 MHz is not honoured by the credit policy", o.get("warnings").get(0).asText());
    }

    @Test
    void showOfAnUnknownHostFailsInTheService() {
        assertThrows(NotFoundException.class, () -> commands.show(false, "nope"));
        assertEquals(List.of("cpu nope"), qos.calls);
    }

    @Test
    void setChangesOnlyWhatIsGiven() {
        vms.create(VmSpec.of("vm1", 2, 1024).withCpu(new CpuQos(3000L, 500, 1500)), "h1");
        vms.start("vm1");

        assertEquals("vm1: CPU limit 3000 MHz, reservation 500 MHz, shares 2000 (RUNNING on h1, effective from the next interval)",
                commands.set("", "", "2000", "vm1"));
        assertEquals(new CpuQos(3000L, 500, 2000), vms.vm("vm1").spec().cpu());
        commands.set("unlimited", "1.5GHz", "", "vm1");
        assertEquals(new CpuQos(null, 1500, 2000), vms.vm("vm1").spec().cpu());
        commands.set("2GHz", "", "", "vm1");
        assertEquals(new CpuQos(2000L, 1500, 2000), vms.vm("vm1").spec().cpu());
        vms.stop("vm1", false);
        assertEquals("vm1: CPU limit 2000 MHz, reservation 0 MHz, shares 2000 (STOPPED on h1)", commands.set("", "0", "", "vm1"));
    }

    @Test
    void setRefusesBadOrMissingValuesBeforeCallingTheService() {
        vms.create(VmSpec.of("vm1", 2, 1024).withCpu(new CpuQos(1000L, 0, 1000)), "h1");
        vms.calls.clear();
        InvalidSpecException none = assertThrows(InvalidSpecException.class, () -> commands.set("", "", "", "vm1"));
        assertEquals("cpu: null is not allowed; expected at least one of --limit, --reservation and --shares"
                + " (qos:set VM [--limit FREQ|unlimited] [--reservation FREQ] [--shares N])", none.getMessage());
        assertEquals("cpu.shares", assertThrows(InvalidSpecException.class, () -> commands.set("", "", "many", "vm1")).field());
        assertEquals("cpu.shares", assertThrows(InvalidSpecException.class, () -> commands.set("", "", "0", "vm1")).field());
        assertEquals("cpu.limitMhz", assertThrows(InvalidSpecException.class, () -> commands.set("fast", "", "", "vm1")).field());
        InvalidSpecException above = assertThrows(InvalidSpecException.class, () -> commands.set("", "1500", "", "vm1"));
        assertEquals("cpu.reservationMhz", above.field(), "a reservation above the kept limit of 1000 MHz");
        assertEquals(List.of(), vms.calls.stream().filter(c -> c.startsWith("setCpuQos")).toList());
        assertEquals(new CpuQos(1000L, 0, 1000), vms.vm("vm1").spec().cpu());
        assertThrows(NotFoundException.class, () -> commands.set("", "", "10", "ghost"));
    }

    static List<String> fields(JsonNode o) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
