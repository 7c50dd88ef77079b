package org.vireo.api.inventory;

import java.io.Serializable;

/**
 * One installed implementation of an SPI family.
 *
 * @param family its family
 * @param name its {@code vireo.name}
 * @param ranking its {@code service.ranking}
 * @param active whether it is in use now
 * @param bundle the symbolic name of the bundle that registered it
 * @param detail a note for people, e.g. "configured" or "fallback: configured 'credit' is absent"
 * @since 1.0
 */
public record PolicyInfo(PolicyFamily family, String name, int ranking, boolean active, String bundle, String detail)
        implements Serializable {
}
