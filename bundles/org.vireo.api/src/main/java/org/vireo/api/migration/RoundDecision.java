package org.vireo.api.migration;

import java.io.Serializable;

/**
 * A strategy's decision after a round.
 *
 * @param action what to do next
 * @param reason for the progress display and the event log
 * @since 1.0
 */
public record RoundDecision(RoundAction action, String reason) implements Serializable {
}
