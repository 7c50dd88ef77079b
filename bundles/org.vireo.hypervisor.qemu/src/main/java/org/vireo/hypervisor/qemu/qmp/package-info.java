/**
 * A QMP (QEMU Machine Protocol) client over a Unix-domain socket: the greeting, capability
 * negotiation, commands with ids whose replies are matched to them, and asynchronous events
 * dispatched to listeners. Private to the QEMU hypervisor bundle.
 */
package org.vireo.hypervisor.qemu.qmp;
