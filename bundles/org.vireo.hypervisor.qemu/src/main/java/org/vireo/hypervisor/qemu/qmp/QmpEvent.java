package org.vireo.hypervisor.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * An asynchronous QMP event, e.g. {@code STOP}, {@code RESUME}, {@code SHUTDOWN},
 * {@code BALLOON_CHANGE}.
 *
 * @param name the event name
 * @param data its data object ({@link NullNode} when it has none)
 * @param timestampMicros QEMU's timestamp, microseconds since the epoch
 */
public record QmpEvent(String name, JsonNode data, long timestampMicros) {
    /** Never a null data node. */
    public QmpEvent {
        data = data == null ? NullNode.getInstance() : data;
    }
}
