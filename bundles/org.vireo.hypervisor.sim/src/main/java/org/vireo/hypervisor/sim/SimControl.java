package org.vireo.hypervisor.sim;

import java.util.function.Consumer;
import org.vireo.hypervisor.sim.engine.SimEngine;

/**
 * The simulation's controls beyond the Hypervisor SPI, for the {@code sim:*} commands: pacing,
 * speed and batch runs. A service private to this bundle.
 */
public interface SimControl {
    /** @return the engine */
    SimEngine engine();

    /** @return virtual seconds per wall second in real-time pacing */
    double speed();

    /**
     * @param factor virtual seconds per wall second, 0 to hold the clock
     * @return the factor now in force
     */
    double speed(double factor);

    /** @return {@code realtime} or {@code batch} */
    String pacing();

    /**
     * Advances the clock by {@code millis} as fast as possible; real-time pacing is held
     * meanwhile and resumes from the new time.
     *
     * @param millis virtual ms
     * @param progress told a line about ten times during the run
     * @return what happened during the run
     */
    RunReport run(long millis, Consumer<String> progress);
}
