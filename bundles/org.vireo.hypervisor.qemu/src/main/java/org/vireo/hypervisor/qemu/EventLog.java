package org.vireo.hypervisor.qemu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.model.VmState;

/** The events of one host: sequence numbers from 1, the last {@link #CAPACITY} kept. */
final class EventLog {
    /** How many events are kept; core polls about once a second. */
    static final int CAPACITY = 4096;

    private final String host;
    private final LongSupplier clock;
    private final Deque<HypervisorEvent> events = new ArrayDeque<>();
    private long sequence;

    /**
     * @param host the host's name
     * @param clock the hypervisor clock in milliseconds
     */
    EventLog(String host, LongSupplier clock) {
        this.host = host;
        this.clock = clock;
    }

    /**
     * @param vm the VM, or null for a host event
     * @param state the VM's new state, or null if unchanged
     * @param message for people
     * @return the event recorded
     */
    synchronized HypervisorEvent post(String vm, VmState state, String message) {
        HypervisorEvent e = new HypervisorEvent(++sequence, clock.getAsLong(), host, vm, state, message);
        events.addLast(e);
        while (events.size() > CAPACITY) {
            events.removeFirst();
        }
        return e;
    }

    /**
     * @param afterSequence the last sequence seen
     * @return the newer events, oldest first
     */
    synchronized List<HypervisorEvent> since(long afterSequence) {
        List<HypervisorEvent> newer = new ArrayList<>();
        for (HypervisorEvent e : events) {
            if (e.sequence() > afterSequence) {
                newer.add(e);
            }
        }
        return newer;
    }
}
