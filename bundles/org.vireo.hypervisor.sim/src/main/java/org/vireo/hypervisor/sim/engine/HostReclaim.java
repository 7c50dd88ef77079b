package org.vireo.hypervisor.sim.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vireo.api.hypervisor.MemoryFigures;
import org.vireo.api.memory.MemoryAction;
import org.vireo.api.memory.MemoryOperation;
import org.vireo.api.memory.MemorySnapshot;
import org.vireo.api.memory.MemoryState;
import org.vireo.api.memory.MemoryTechnique;
import org.vireo.api.memory.ReclaimPlan;
import org.vireo.api.memory.ReclaimRequest;

/**
 * One host's memory reclaim, run once per reclaim interval: the host's {@link MemorySnapshot}
 * goes to the reclaim policy with the techniques available; each strategy then gets the same
 * snapshot with only the requests of its own technique (also when there are none: page sharing
 * scans all the time), and its actions are carried out on the page model, clamped there
 * (reservations, what is held). An action of another technique than the strategy's is ignored.
 * Nothing here outlives a policy swap but the last state and figures: the pages themselves are
 * the guests'.
 */
final class HostReclaim {
    private final SimHost host;
    private MemoryState state = MemoryState.HIGH;
    private String policyName = "none asked yet";
    private final Set<String> reported = new LinkedHashSet<>();
    private long balloonedTotal;
    private long swappedOutTotal;
    private long sharedTotal;

    HostReclaim(SimHost host) {
        this.host = host;
    }

    /** @return the host's memory state as the reclaim policy last decided it ({@code HIGH} without one) */
    MemoryState state() {
        return state;
    }

    /** @return the reclaim policy of the last round */
    String policyName() {
        return policyName;
    }

    /** @return pages merged, ballooned and swapped out since attach, for the host's detail */
    String totals() {
        return String.format(Locale.ROOT, "%d MiB merged, %d MiB ballooned, %d MiB swapped out since attach",
                MemoryFigures.toMiB(sharedTotal), MemoryFigures.toMiB(balloonedTotal), MemoryFigures.toMiB(swappedOutTotal));
    }

    /**
     * Runs one reclaim round.
     *
     * @param round the policies in force
     * @param clockMillis for events
     */
    void run(ReclaimRound round, long clockMillis) {
        for (String p : round.problems()) {
            once(clockMillis, p);
        }
        policyName = round.policyName();
        if (round.policy() == null && round.strategies().isEmpty()) {
            changeState(MemoryState.HIGH, clockMillis, null);
            return;
        }
        MemorySnapshot snapshot = host.memorySnapshot();
        List<ReclaimRequest> requests = List.of();
        MemoryState next = MemoryState.HIGH;
        if (round.policy() != null) {
            try {
                ReclaimPlan plan = round.policy().plan(snapshot, round.available());
                if (plan != null) {
                    requests = plan.requests();
                    next = plan.state() == null ? MemoryState.HIGH : plan.state();
                }
            } catch (RuntimeException e) {
                once(clockMillis, "memory: reclaim policy " + round.policyName() + " failed (" + e + "); no reclaim requests"
                        + " while it fails");
            }
        }
        changeState(next, clockMillis, snapshot);
        for (ReclaimRound.Chosen chosen : round.strategies()) {
            List<ReclaimRequest> mine = requests.isEmpty() ? List.of() : new ArrayList<>(requests.size());
            for (ReclaimRequest r : requests) {
                if (r != null && r.technique() == chosen.technique()) {
                    mine.add(r);
                }
            }
            List<MemoryAction> actions;
            try {
                actions = chosen.strategy().actions(snapshot, List.copyOf(mine));
            } catch (RuntimeException e) {
                once(clockMillis, "memory: " + chosen.technique() + " strategy " + chosen.strategy().getClass().getSimpleName()
                        + " failed (" + e + "); it does nothing while it fails");
                continue;
            }
            if (actions == null || actions.isEmpty()) {
                continue;
            }
            List<MemoryAction> allowed = new ArrayList<>(actions.size());
            for (MemoryAction a : actions) {
                if (a != null && a.operation() != null && techniqueOf(a.operation()) == chosen.technique()) {
                    allowed.add(a);
                } else {
                    once(clockMillis, "memory: " + chosen.technique() + " strategy " + chosen.strategy().getClass().getSimpleName()
                            + " asked for " + (a == null ? "null" : a.operation()) + ", which is not its technique; ignored");
                }
            }
            long[] done = host.carryOut(allowed, clockMillis);
            for (int i = 0; i < allowed.size(); i++) {
                switch (allowed.get(i).operation()) {
                    case SHARE_SCAN -> sharedTotal += done[i];
                    case BALLOON_INFLATE -> balloonedTotal += done[i];
                    case SWAP_OUT -> swappedOutTotal += done[i];
                    default -> {
                    }
                }
            }
        }
    }

    /** @return the technique an operation belongs to */
    static MemoryTechnique techniqueOf(MemoryOperation operation) {
        return switch (operation) {
            case SHARE_SCAN -> MemoryTechnique.SHARING;
            case BALLOON_INFLATE, BALLOON_DEFLATE -> MemoryTechnique.BALLOONING;
            case SWAP_OUT, SWAP_IN -> MemoryTechnique.SWAPPING;
            case COMPRESS -> MemoryTechnique.COMPRESSION;
        };
    }

    private void changeState(MemoryState next, long clockMillis, MemorySnapshot snapshot) {
        if (next == state) {
            return;
        }
        String free = snapshot == null ? "" : String.format(Locale.ROOT, ": %d MiB free of %d MiB", MemoryFigures.toMiB(snapshot.freePages()),
                MemoryFigures.toMiB(snapshot.totalPages()));
        host.events.post(clockMillis, null, null, "memory state " + state + " -> " + next + free + " (" + policyName + ")");
        state = next;
    }

    /** Posts a problem once, so that a policy failing every interval is seen without flooding the log. */
    private void once(long clockMillis, String message) {
        if (reported.add(message)) {
            if (reported.size() > 64) {
                reported.remove(reported.iterator().next());
            }
            host.events.post(clockMillis, null, null, message);
        }
    }
}
