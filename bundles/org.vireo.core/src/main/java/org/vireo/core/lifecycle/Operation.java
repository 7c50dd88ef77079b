package org.vireo.core.lifecycle;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.vireo.api.model.VmState;

/**
 * What can be asked of a VM, with the states it must be in. Operations that change the state
 * name the states they lead to; the others ({@link #DESTROY}, {@link #EXPORT}, {@link #CLONE})
 * only require a state.
 */
public enum Operation {
    START(EnumSet.of(VmState.DEFINED, VmState.STOPPED, VmState.CRASHED), EnumSet.of(VmState.STARTING, VmState.RUNNING)),
    STOP(EnumSet.of(VmState.STARTING, VmState.RUNNING, VmState.PAUSED), EnumSet.of(VmState.STOPPED)),
    PAUSE(EnumSet.of(VmState.RUNNING), EnumSet.of(VmState.PAUSED)),
    RESUME(EnumSet.of(VmState.PAUSED), EnumSet.of(VmState.RUNNING)),
    CRASH(EnumSet.of(VmState.STARTING, VmState.RUNNING, VmState.PAUSED, VmState.MIGRATING), EnumSet.of(VmState.CRASHED)),
    MIGRATE(EnumSet.of(VmState.RUNNING), EnumSet.of(VmState.MIGRATING)),
    DESTROY(EnumSet.of(VmState.DEFINED, VmState.STOPPED, VmState.CRASHED), EnumSet.noneOf(VmState.class)),
    EXPORT(EnumSet.of(VmState.DEFINED, VmState.STOPPED), EnumSet.noneOf(VmState.class)),
    CLONE(EnumSet.of(VmState.DEFINED, VmState.STOPPED), EnumSet.noneOf(VmState.class));

    private final Set<VmState> from;
    private final Set<VmState> to;

    Operation(Set<VmState> from, Set<VmState> to) {
        this.from = from;
        this.to = to;
    }

    /** @return the states in which the operation is allowed */
    public Set<VmState> from() {
        return EnumSet.copyOf(from);
    }

    /** @return the states the operation leads to; empty when it does not change the state */
    public Set<VmState> to() {
        return to.isEmpty() ? EnumSet.noneOf(VmState.class) : EnumSet.copyOf(to);
    }

    /** @return the word used in messages, e.g. {@code pause} */
    public String verb() {
        return name().toLowerCase(Locale.ROOT);
    }
}
