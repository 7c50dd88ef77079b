package org.vireo.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vireo.api.inventory.IllegalTransitionException;
import org.vireo.api.model.VmState;

class VmLifecycleTest {
    private static final Map<VmState, Set<VmState>> EXPECTED = Map.of(
            VmState.DEFINED, EnumSet.of(VmState.STARTING, VmState.RUNNING),
            VmState.STARTING, EnumSet.of(VmState.RUNNING, VmState.STOPPED, VmState.CRASHED),
            VmState.RUNNING, EnumSet.of(VmState.PAUSED, VmState.STOPPED, VmState.CRASHED, VmState.MIGRATING),
            VmState.PAUSED, EnumSet.of(VmState.RUNNING, VmState.STOPPED, VmState.CRASHED),
            VmState.MIGRATING, EnumSet.of(VmState.RUNNING, VmState.CRASHED),
            VmState.STOPPED, EnumSet.of(VmState.STARTING, VmState.RUNNING),
            VmState.CRASHED, EnumSet.of(VmState.STARTING, VmState.RUNNING));

    @Test
    void everyPairOfStatesFollowsTheDocumentedMachine() {
        for (VmState from : VmState.values()) {
            for (VmState to : VmState.values()) {
                assertEquals(EXPECTED.get(from).contains(to), VmLifecycle.allows(from, to), from + " -> " + to);
            }
        }
    }

    @Test
    void everyStateChangingOperationMovesAlongAllowedEdgesOnly() {
        for (Operation op : Operation.values()) {
            for (VmState from : op.from()) {
                for (VmState to : op.to()) {
                    assertTrue(VmLifecycle.allows(from, to), op + ": " + from + " -> " + to + " is not an edge of the machine");
                }
            }
        }
    }

    @Test
    void destroyIsLegalOnlyWhenNoResourcesAreHeld() {
        for (VmState state : VmState.values()) {
            boolean legal = state == VmState.DEFINED || state == VmState.STOPPED || state == VmState.CRASHED;
            if (legal) {
                assertDoesNotThrow(() -> VmLifecycle.check("vm1", state, Operation.DESTROY));
            } else {
                assertThrows(IllegalTransitionException.class, () -> VmLifecycle.check("vm1", state, Operation.DESTROY), state.name());
            }
            assertEquals(!legal, state.isActive(), "destroy follows isActive for " + state);
        }
    }

    @Test
    void illegalOperationNamesVmStateOperationAndTheStatesThatAllowIt() {
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> VmLifecycle.check("web-1", VmState.STOPPED, Operation.PAUSE));
        assertEquals("cannot pause VM 'web-1': it is STOPPED; pause is allowed only when RUNNING", e.getMessage());

        e = assertThrows(IllegalTransitionException.class, () -> VmLifecycle.check("db", VmState.RUNNING, Operation.START));
        assertEquals("cannot start VM 'db': it is RUNNING; start is allowed only when DEFINED, STOPPED or CRASHED", e.getMessage());
    }

    @Test
    void exportAndCloneNeedAStoppedOrDefinedVm() {
        for (Operation op : new Operation[] {Operation.EXPORT, Operation.CLONE}) {
            assertEquals(EnumSet.of(VmState.DEFINED, VmState.STOPPED), op.from(), op.name());
            assertThrows(IllegalTransitionException.class, () -> VmLifecycle.check("vm1", VmState.CRASHED, op));
            assertThrows(IllegalTransitionException.class, () -> VmLifecycle.check("vm1", VmState.PAUSED, op));
        }
    }

    @Test
    void resumeOnlyFromPausedAndMigratingCannotBeStopped() {
        assertThrows(IllegalTransitionException.class, () -> VmLifecycle.check("vm1", VmState.STARTING, Operation.RESUME));
        assertDoesNotThrow(() -> VmLifecycle.check("vm1", VmState.PAUSED, Operation.RESUME));
        assertThrows(IllegalTransitionException.class, () -> VmLifecycle.check("vm1", VmState.MIGRATING, Operation.STOP));
        assertDoesNotThrow(() -> VmLifecycle.check("vm1", VmState.MIGRATING, Operation.CRASH));
    }

    @Test
    void hypervisorOutcomeMustBeATargetOfTheOperationAndAnEdge() {
        assertTrue(VmLifecycle.isOutcome(VmState.DEFINED, Operation.START, VmState.STARTING));
        assertTrue(VmLifecycle.isOutcome(VmState.CRASHED, Operation.START, VmState.RUNNING));
        assertFalse(VmLifecycle.isOutcome(VmState.DEFINED, Operation.START, VmState.CRASHED));
        assertFalse(VmLifecycle.isOutcome(VmState.DEFINED, Operation.START, VmState.PAUSED));
    }

    @Test
    void describeJoinsStatesForPeople() {
        assertEquals("RUNNING", VmLifecycle.describe(EnumSet.of(VmState.RUNNING)));
        assertEquals("RUNNING or PAUSED", VmLifecycle.describe(EnumSet.of(VmState.PAUSED, VmState.RUNNING)));
    }
}
