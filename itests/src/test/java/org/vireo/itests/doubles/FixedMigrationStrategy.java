package org.vireo.itests.doubles;

import java.util.List;
import org.vireo.api.hypervisor.HostSnapshot;
import org.vireo.api.migration.MigrationKind;
import org.vireo.api.migration.MigrationPlan;
import org.vireo.api.migration.MigrationProgress;
import org.vireo.api.migration.MigrationRequest;
import org.vireo.api.migration.MigrationStrategy;
import org.vireo.api.migration.RoundAction;
import org.vireo.api.migration.RoundDecision;

/** A migration strategy that always plans a pre-copy and stops after the first round. */
public final class FixedMigrationStrategy implements MigrationStrategy {
    @Override
    public MigrationPlan plan(MigrationRequest request, HostSnapshot source, HostSnapshot destination) {
        return new MigrationPlan(true, List.of(), MigrationKind.PRE_COPY, 1);
    }

    @Override
    public RoundDecision nextRound(MigrationPlan plan, MigrationProgress progress) {
        return new RoundDecision(RoundAction.STOP_AND_COPY, "one round is enough");
    }
}
