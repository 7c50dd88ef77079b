package org.vireo.core.inventory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls the events of every attached host at a fixed interval on one daemon thread and
 * applies them, one host at a time under the inventory's lock.
 */
final class Monitor {
    private static final Logger LOG = Logger.getLogger(Monitor.class.getName());

    private final Inventory inventory;
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private long interval;

    Monitor(Inventory inventory) {
        this.inventory = inventory;
    }

    /** @param intervalMillis the poll interval; nothing happens if already started */
    synchronized void start(long intervalMillis) {
        if (executor != null) {
            return;
        }
        interval = intervalMillis;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "vireo-monitor");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pollAll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** @param intervalMillis the new interval, applied at once if the monitor runs */
    synchronized void reschedule(long intervalMillis) {
        if (executor != null && intervalMillis != interval) {
            stop();
            start(intervalMillis);
        }
    }

    /** Stops polling and waits for a poll in progress to finish. */
    void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
            executor = null;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Pulls every attached host's new events and applies them; a failing host does not stop the others. */
    void pollAll() {
        for (String host : inventory.attacher().attachedHosts()) {
            if (inventory.isClosed()) {
                return;
            }
            try {
                inventory.locked(() -> inventory.attacher().poll(host));
                if (failures.remove(host) != null) {
                    LOG.info("the events of host '" + host + "' can be read again");
                }
            } catch (RuntimeException e) {
                // the same failure every interval is logged once, until it changes or ends
                if (!String.valueOf(e).equals(failures.put(host, String.valueOf(e)))) {
                    LOG.log(Level.WARNING, "cannot read the events of host '" + host + "': " + e, e);
                }
            }
        }
    }
}
