package org.vireo.hypervisor.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.hypervisor.VmSnapshot;
import org.vireo.hypervisor.sim.engine.SimEngine;

/** Advances an engine as fast as possible in about ten slices, reporting progress after each. */
final class BatchRun {
    private static final int SLICES = 10;

    private BatchRun() {
    }

    static RunReport run(SimEngine engine, long millis, Consumer<String> progress) {
        Map<String, Double> before = new HashMap<>();
        for (HostSnapshot h : engine.snapshots()) {
            for (VmSnapshot v : h.vms()) {
                before.put(h.host().name() + "/" + v.name(), v.cpu().workMhzSeconds());
            }
        }
        long from = engine.clockMillis();
        long intervalsBefore = engine.intervals();
        long wallStart = System.nanoTime();
        long slice = Math.max(1, millis / SLICES);
        long done = 0;
        while (done < millis) {
            long step = Math.min(slice, millis - done);
            engine.advance(step);
            done += step;
            double wall = (System.nanoTime() - wallStart) / 1e9;
            progress.accept(String.format(Locale.ROOT, "sim: %3d%%  %s of %s virtual, %.1f s wall", done * 100 / millis,
                    Durations.format(done), Durations.format(millis), wall));
        }
        long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        List<RunReport.VmLine> lines = new ArrayList<>();
        for (HostSnapshot h : engine.snapshots()) {
            for (VmSnapshot v : h.vms()) {
                MemoryFigures m = v.memory();
                double total = v.cpu().workMhzSeconds();
                double start = before.getOrDefault(h.host().name() + "/" + v.name(), 0.0);
                lines.add(new RunReport.VmLine(h.host().name(), v.name(), v.state().name(), Math.max(0, total - start), total,
                        v.cpu().usedMhz(), MemoryFigures.toMiB(m.residentPages()), MemoryFigures.toMiB(m.sharedPages()),
                        MemoryFigures.toMiB(m.balloonedPages()), MemoryFigures.toMiB(m.swappedPages()),
                        MemoryFigures.toMiB(m.byContent().getOrDefault("zero", 0L)),
                        MemoryFigures.toMiB(m.byContent().getOrDefault("image", 0L)),
                        MemoryFigures.toMiB(m.byContent().getOrDefault("compressible", 0L)),
                        MemoryFigures.toMiB(m.byContent().getOrDefault("random", 0L))));
            }
        }
        return new RunReport(from, engine.clockMillis(), wallMillis, engine.intervals() - intervalsBefore, lines,
                engine.eventsSince(from));
    }
}
