/**
 * Migration strategies: whether and how a VM may move between hosts (constraints checked by
 * {@link org.vireo.api.migration.MigrationStrategy#plan}) and, round by round, when to stop
 * copying (pre-copy), switch to post-copy, or give up.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.api.migration;
