package org.vireo.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;

class ScenarioTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path f = dir.resolve("s.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void countsExpandIntoNumberedNamesAndHostsAreUsedRoundRobin() throws IOException {
        Scenario s = Scenario.read(file("""
                {"hosts": [{"name": "h", "count": 2, "cores": 8, "mhz": "2.4GHz", "memory": "32G", "type": "baremetal"}],
                 "vms": [{"name": "web", "count": 3, "host": ["h-1", "h-2"], "vcpus": 2, "memory": "2G", "workload": "web",
                          "cpuReservation": 500, "cpuLimit": 4000},
                         {"name": "solo", "memory": 512, "workload": "custom:cpu=50,ws=256M"}],
                 "start": false}
                """));
        assertEquals(2, s.hosts().size());
        assertEquals("h-2", s.hosts().get(1).name());
        assertEquals(2400, s.hosts().get(0).mhzPerCore());
        assertEquals(32 * 1024, s.hosts().get(0).memoryMiB());
        assertEquals(HypervisorKind.BAREMETAL, s.hosts().get(0).type());
        assertEquals(4, s.vms().size());
        assertEquals("web-3", s.vms().get(2).spec().name());
        assertEquals("h-1", s.vms().get(2).host());
        assertEquals(4000L, s.vms().get(0).spec().cpu().limitMhz());
        assertNull(s.vms().get(3).host());
        assertEquals(1, s.vms().get(3).spec().vcpus());
        assertFalse(s.start());
    }

    @Test
    void badValuesNameTheirPlaceInTheFile() throws IOException {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Scenario.read(file("""
                {"hosts": [{"name": "h", "cores": 8, "mhz": 2400, "memory": "lots", "type": "hybrid"}]}
                """)));
        assertEquals("scenario.hosts[0].memory", e.field());
        InvalidSpecException unknown = assertThrows(InvalidSpecException.class, () -> Scenario.read(file("""
                {"vms": [{"name": "a", "memory": "1G", "cpus": 2}]}
                """)));
        assertEquals("scenario.vms[0].cpus", unknown.field());
        InvalidSpecException missing = assertThrows(InvalidSpecException.class, () -> Scenario.read(file("""
                {"vms": [{"name": "a"}]}
                """)));
        assertEquals("scenario.vms[0].memory", missing.field());
    }

    @Test
    void durationsAcceptThePeopleForms() {
        assertEquals(30_000, Durations.parseMillis("d", "30s"));
        assertEquals(600_000, Durations.parseMillis("d", "10m"));
        assertEquals(7_200_000, Durations.parseMillis("d", "2h"));
        assertEquals(1500, Durations.parseMillis("d", "1.5"));
        assertEquals("02:00:00", Durations.format(7_200_000));
        assertThrows(InvalidSpecException.class, () -> Durations.parseMillis("d", "soon"));
        assertThrows(InvalidSpecException.class, () -> Durations.parseMillis("d", "0s"));
    }
}
