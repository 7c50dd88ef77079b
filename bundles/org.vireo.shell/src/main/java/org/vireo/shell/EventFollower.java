package org.vireo.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.VireoEvent;

/**
 * Writes new events as they are recorded, polling the event log, until the thread is interrupted
 * (Ctrl-C in the shell) or the output is closed.
 */
final class EventFollower {
    /** How often the event log is polled. */
    static final long POLL_MILLIS = 200;

    /** Waits between two polls; replaced in tests so that no test depends on the clock. */
    @FunctionalInterface
    interface Sleeper {
        /**
         * @param millis how long
         * @throws InterruptedException when the thread is interrupted
         */
        void sleep(long millis) throws InterruptedException;
    }

    private final EventService events;
    private final Sleeper sleeper;

    /**
     * @param events the event log
     * @param sleeper waits between polls
     */
    EventFollower(EventService events, Sleeper sleeper) {
        this.events = events;
        this.sleeper = sleeper;
    }

    /**
     * Polls until interrupted. On interruption the thread's interrupt status is set again, so
     * that the caller sees it.
     *
     * @param after the sequence of the last event already shown
     * @param out where to write, one event per line, flushed after each poll
     * @param format renders one event as one line
     * @return the sequence of the last event written
     */
    long follow(long after, PrintStream out, Function<VireoEvent, String> format) {
        long last = after;
        while (!Thread.currentThread().isInterrupted()) {
            List<VireoEvent> batch = events.since(last);
            for (VireoEvent e : batch) {
                out.println(format.apply(e));
                last = Math.max(last, e.sequence());
            }
            out.flush();
            if (out.checkError()) {
                return last;
            }
            try {
                sleeper.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
        return last;
    }
}
