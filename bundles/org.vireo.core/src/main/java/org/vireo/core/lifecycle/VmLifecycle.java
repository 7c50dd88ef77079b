package org.vireo.core.lifecycle;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.vireo.api.inventory.IllegalTransitionException;
import org.vireo.api.model.VmState;

/**
 * The VM state machine: which state may follow which, and which operation is legal in which
 * state. Stateless; every method is a pure function.
 */
public final class VmLifecycle {
    private static final Map<VmState, Set<VmState>> NEXT = new EnumMap<>(VmState.class);

    static {
        NEXT.put(VmState.DEFINED, EnumSet.of(VmState.STARTING, VmState.RUNNING));
        NEXT.put(VmState.STARTING, EnumSet.of(VmState.RUNNING, VmState.STOPPED, VmState.CRASHED));
        NEXT.put(VmState.RUNNING, EnumSet.of(VmState.PAUSED, VmState.STOPPED, VmState.CRASHED, VmState.MIGRATING));
        NEXT.put(VmState.PAUSED, EnumSet.of(VmState.RUNNING, VmState.STOPPED, VmState.CRASHED));
        NEXT.put(VmState.MIGRATING, EnumSet.of(VmState.RUNNING, VmState.CRASHED));
        NEXT.put(VmState.STOPPED, EnumSet.of(VmState.STARTING, VmState.RUNNING));
        NEXT.put(VmState.CRASHED, EnumSet.of(VmState.STARTING, VmState.RUNNING));
    }

    private VmLifecycle() {
    }

    /**
     * @param from the current state
     * @return the states that may directly follow it
     */
    public static Set<VmState> next(VmState from) {
        return Collections.unmodifiableSet(NEXT.get(from));
    }

    /**
     * @param from the current state
     * @param to a candidate next state
     * @return whether the machine allows {@code from → to}
     */
    public static boolean allows(VmState from, VmState to) {
        return NEXT.get(from).contains(to);
    }

    /**
     * Checks that {@code operation} is legal for a VM in state {@code current}.
     *
     * @param vm the VM's name, for the message
     * @param current its state
     * @param operation what is asked
     * @throws IllegalTransitionException naming the VM, its state, the operation and the states
     *         that allow it
     */
    public static void check(String vm, VmState current, Operation operation) {
        if (!operation.from().contains(current)) {
            throw new IllegalTransitionException("cannot " + operation.verb() + " VM '" + vm + "': it is " + current
                    + "; " + operation.verb() + " is allowed only when " + describe(operation.from()));
        }
    }

    /**
     * Checks that a hypervisor's answer to {@code operation} is one of the states it leads to
     * and a legal successor of {@code current}.
     *
     * @param current the state before the operation
     * @param operation the operation carried out
     * @param reported the state the hypervisor reports afterwards
     * @return whether the reported state is a legal outcome
     */
    public static boolean isOutcome(VmState current, Operation operation, VmState reported) {
        return operation.to().contains(reported) && allows(current, reported);
    }

    /**
     * @param states some states
     * @return "RUNNING", "RUNNING or PAUSED", "DEFINED, STOPPED or CRASHED"
     */
    public static String describe(Set<VmState> states) {
        List<String> names = states.stream().sorted().map(Enum::name).collect(Collectors.toList());
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
