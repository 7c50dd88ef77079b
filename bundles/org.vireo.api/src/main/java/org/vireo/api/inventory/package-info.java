/**
 * The services core provides: the inventory of hosts and VMs and their lifecycle, the choice
 * of the active implementation of each policy family, and the event log. The shell, the
 * hypervisors and third-party tools call these; only core implements them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.vireo.api.inventory;
