package org.vireo.api.migration;

import java.io.Serializable;
import java.util.List;

/**
 * A strategy's verdict on a request.
 *
 * @param feasible whether the migration may go ahead
 * @param violations the constraints it breaks (CPU model, shared storage, memory, ...); empty
 *        when feasible
 * @param kind how it will move
 * @param maxRounds the most pre-copy rounds before the strategy stops copying
 * @since 1.0
 */
public record MigrationPlan(boolean feasible, List<String> violations, MigrationKind kind, int maxRounds)
        implements Serializable {
    /** Copies the list. */
    public MigrationPlan {
        violations = List.copyOf(violations);
    }
}
