/**
 * The {@code sim} hypervisor bundle: the {@link org.vireo.hypervisor.sim.SimHypervisor}
 * component that implements the Hypervisor SPI on the plain-Java engine of
 * {@code org.vireo.hypervisor.sim.engine}, and the {@code sim:speed}, {@code sim:run},
 * {@code sim:scenario} and {@code sim:status} commands. Nothing here is exported.
 */
package org.vireo.hypervisor.sim;
