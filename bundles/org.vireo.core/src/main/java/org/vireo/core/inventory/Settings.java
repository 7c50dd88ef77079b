package org.vireo.core.inventory;

import java.util.logging.Logger;
import org.vireo.api.model.Check;
import org.vireo.api.model.InvalidSpecException;

/**
 * The validated figures of {@link CoreConfig}.
 *
 * @param overcommitRatio memory overcommit ratio, 0.1 to 100
 * @param monitorIntervalMillis poll interval, 10 to 60,000 ms
 */
public record Settings(double overcommitRatio, long monitorIntervalMillis) {
    /** The overcommit ratio when none is configured. */
    public static final double DEFAULT_OVERCOMMIT = 1.5;
    /** The poll interval when none is configured. */
    public static final long DEFAULT_MONITOR_MILLIS = 500;
    /** The defaults. */
    public static final Settings DEFAULT = new Settings(DEFAULT_OVERCOMMIT, DEFAULT_MONITOR_MILLIS);

    private static final Logger LOG = Logger.getLogger(Settings.class.getName());

    /** Validates both figures. */
    public Settings {
        Check.range(Inventory.PID + ".overcommitRatio", overcommitRatio, 0.1, 100);
        Check.range(Inventory.PID + ".monitorIntervalMillis", monitorIntervalMillis, 10, 60_000);
    }

    /**
     * A bad value in the configuration must not keep the inventory from starting: it is
     * logged and replaced by its default.
     *
     * @param config the configuration
     * @return the settings
     */
    public static Settings from(CoreConfig config) {
        double ratio = DEFAULT_OVERCOMMIT;
        long interval = DEFAULT_MONITOR_MILLIS;
        try {
            ratio = new Settings(config.overcommitRatio(), DEFAULT_MONITOR_MILLIS).overcommitRatio();
        } catch (InvalidSpecException e) {
            LOG.warning(e.getMessage() + "; using " + DEFAULT_OVERCOMMIT);
        }
        try {
            interval = new Settings(DEFAULT_OVERCOMMIT, config.monitorIntervalMillis()).monitorIntervalMillis();
        } catch (InvalidSpecException e) {
            LOG.warning(e.getMessage() + "; using " + DEFAULT_MONITOR_MILLIS);
        }
        return new Settings(ratio, interval);
    }
}
