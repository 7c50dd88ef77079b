package org.vireo.hypervisor.sim.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.vireo.api.hypervisor.HypervisorEvent;
import org.vireo.api.model.VmState;

/** One host's event log: sequence numbers from 1, the most recent {@code capacity} kept. */
final class HostEvents {
    private final String host;
    private final int capacity;
    private final ArrayDeque<HypervisorEvent> kept = new ArrayDeque<>();
    private long sequence;

    HostEvents(String host, int capacity) {
        this.host = host;
        this.capacity = capacity;
    }

    HypervisorEvent post(long clockMillis, String vm, VmState state, String message) {
        HypervisorEvent e = new HypervisorEvent(++sequence, clockMillis, host, vm, state, message);
        if (kept.size() == capacity) {
            kept.removeFirst();
        }
        kept.addLast(e);
        return e;
    }

    List<HypervisorEvent> after(long afterSequence) {
        List<HypervisorEvent> out = new ArrayList<>();
        for (HypervisorEvent e : kept) {
            if (e.sequence() > afterSequence) {
                out.add(e);
            }
        }
        return out;
    }

    List<HypervisorEvent> since(long clockMillis) {
        List<HypervisorEvent> out = new ArrayList<>();
        for (HypervisorEvent e : kept) {
            if (e.clockMillis() >= clockMillis) {
                out.add(e);
            }
        }
        return out;
    }
}
