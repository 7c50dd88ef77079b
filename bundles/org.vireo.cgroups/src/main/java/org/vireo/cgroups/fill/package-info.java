/**
 * Weighted max-min water-filling, shared by the CPU policies and by the cgroup mapping.
 * <p>
 * Not exported: each CPU policy bundle copies this package into itself at build time
 * ({@code -conditionalpackage} in its {@code bnd.bnd}), so a policy never depends on another
 * bundle at runtime and installing, updating or removing one policy leaves the others alone.
 */
package org.vireo.cgroups.fill;
