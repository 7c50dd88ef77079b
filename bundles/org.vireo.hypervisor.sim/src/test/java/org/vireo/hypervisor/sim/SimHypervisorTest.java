package org.vireo.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.hypervisor.TypeProfile;
import org.vireo.api.model.HostSpec;
import org.vireo.api.model.HypervisorKind;
import org.vireo.api.model.InvalidSpecException;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;
import org.vireo.api.model.WorkloadSpec;

class SimHypervisorTest {
    private static SimHypervisor.Config config(String pacing, double speed) {
        return new SimHypervisor.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SimHypervisor.Config.class;
            }

            @Override
            public long intervalMillis() {
                return 1000;
            }

            @Override
            public long reclaimIntervalMillis() {
                return 1000;
            }

            @Override
            public String pacing() {
                return pacing;
            }

            @Override
            public double speed() {
                return speed;
            }

            @Override
            public long seed() {
                return 9;
            }

            @Override
            public int threads() {
                return 1;
            }
        };
    }

    private static final TypeProfile XEN = new TypeProfile(HypervisorKind.BAREMETAL, "test", 3, 2000, 1024, "Dom0", "netback", 16,
            false);

    @Test
    void batchPacingMovesOnlyWithRunAndReportsWorkMemoryAndEvents() {
        SimHypervisor sim = new SimHypervisor(config("batch", 1));
        try {
            sim.attachHost(HostSpec.of("x", 8, 2000, 16384, HypervisorKind.BAREMETAL), XEN);
            sim.start("x", VmSpec.of("a", 2, 1024).withWorkload(WorkloadSpec.parse("batch")), "/tmp/a");
            sim.start("x", VmSpec.of("b", 1, 512).withWorkload(WorkloadSpec.parse("web")), "/tmp/b");
            assertEquals(0, sim.engine().clockMillis());
            List<String> progress = new ArrayList<>();
            RunReport report = sim.run(60_000, progress::add);
            assertEquals(60_000, sim.engine().clockMillis());
            assertEquals(60, report.intervals());
            assertEquals(10, progress.size());
            RunReport.VmLine a = report.vms().stream().filter(l -> l.vm().equals("a")).findFirst().orElseThrow();
            assertEquals(2 * 2000 * 0.97 * 60, a.workMhzSeconds(), 1e-6, "a CPU-bound VM with room gets its vCPUs less overhead");
            assertEquals("Dom0", report.vms().get(0).vm());
            assertTrue(report.text().contains("Dom0 running") || report.events().isEmpty());
            sim.crash("x", "b");
            HostSnapshot s = sim.snapshot("x");
            assertTrue(s.vm("b").isEmpty());
            List<HypervisorEvent> events = sim.events("x", 0);
            assertEquals("Dom0", events.get(0).vm());
            assertEquals(VmState.CRASHED, events.get(events.size() - 1).state());
            String text = sim.run(1000, l -> { }).text();
            assertTrue(text.contains("WORK MHz·s") && text.contains(" a "), text);
        } finally {
            sim.deactivate();
        }
    }

    @Test
    void badSettingsAreRejectedByName() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new SimHypervisor(config("sometimes", 1)));
        assertEquals("pacing", e.field());
        SimHypervisor sim = new SimHypervisor(config("realtime", 1));
        try {
            assertEquals(InvalidSpecException.class, assertThrows(InvalidSpecException.class, () -> sim.speed(-2)).getClass());
            assertEquals(25.0, sim.speed(25));
        } finally {
            sim.deactivate();
        }
    }
}
