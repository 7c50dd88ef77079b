package org.vireo.api.inventory;

/**
 * What an event is about.
 *
 * @since 1.0
 */
public enum EventCategory {
    /** A VM was defined, started, stopped, crashed, migrated, ... */
    VM,
    /** A host was added, removed, attached or lost. */
    HOST,
    /** A policy was swapped, fell back or returned. */
    POLICY,
    /** Anything else: start-up, skipped definitions. */
    SYSTEM
}
