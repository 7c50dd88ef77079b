package org.vireo.hypervisor.sim.engine;

import java.util.function.LongSupplier;

/**
 * Keeps the engine's clock in step with the wall clock times a speed factor: a daemon thread
 * that every {@code tickMillis} of wall time advances the engine to
 * {@code anchorVirtual + (wallNow - anchorWall) × speed}. A speed of 0 holds the clock. While
 * held ({@link #hold()}), e.g. during a batch run, the pacer does not advance; on
 * {@link #release()} it re-anchors, so the batch's time is not paid back.
 */
public final class RealTimePacer implements AutoCloseable {
    private final SimEngine engine;
    private final LongSupplier wallMillis;
    private final long tickMillis;
    private final Thread thread;
    private double speed;
    private long anchorWall;
    private long anchorVirtual;
    private int holds;
    private volatile boolean running = true;

    /**
     * @param engine the engine to drive
     * @param speed virtual seconds per wall second, at least 0
     * @param tickMillis how often to advance, wall ms
     * @param wallMillis the wall clock (e.g. {@code System::currentTimeMillis})
     */
    public RealTimePacer(SimEngine engine, double speed, long tickMillis, LongSupplier wallMillis) {
        this.engine = engine;
        this.wallMillis = wallMillis;
        this.tickMillis = tickMillis;
        this.speed = checkSpeed(speed);
        this.anchorWall = wallMillis.getAsLong();
        this.anchorVirtual = engine.clockMillis();
        this.thread = new Thread(this::loop, "vireo-sim-pacer");
        thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /** @return virtual seconds per wall second */
    public synchronized double speed() {
        return speed;
    }

    /**
     * Changes the speed from now on.
     *
     * @param factor virtual seconds per wall second, 0 to hold the clock
     */
    public synchronized void speed(double factor) {
        reanchor();
        this.speed = checkSpeed(factor);
    }

    /** Stops advancing until {@link #release()} (nestable). */
    public synchronized void hold() {
        reanchor();
        holds++;
    }

    /** Resumes advancing from the engine's current time. */
    public synchronized void release() {
        holds = Math.max(0, holds - 1);
        anchorWall = wallMillis.getAsLong();
        anchorVirtual = engine.clockMillis();
    }

    /** @return whether a batch run holds the pacer */
    public synchronized boolean held() {
        return holds > 0;
    }

    /** Advances the engine to where the wall clock says it should be; called by the thread. */
    public void catchUp() {
        long target;
        synchronized (this) {
            if (holds > 0 || speed == 0) {
                return;
            }
            target = anchorVirtual + (long) ((wallMillis.getAsLong() - anchorWall) * speed);
        }
        engine.advanceTo(target);
    }

    private void reanchor() {
        long now = wallMillis.getAsLong();
        if (holds == 0) {
            anchorVirtual = Math.max(engine.clockMillis(), anchorVirtual + (long) ((now - anchorWall) * speed));
        } else {
            anchorVirtual = engine.clockMillis();
        }
        anchorWall = now;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(tickMillis);
                catchUp();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a failing interval must not stop time; the engine's host events say what failed
                System.err.println("vireo sim pacer: " + e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private static double checkSpeed(double factor) {
        if (!(factor >= 0 && factor <= 1_000_000)) {
            throw new org.vireo.api.model.InvalidSpecException("speed", factor, "a factor from 0 (clock held) to 1000000");
        }
        return factor;
    }
}
