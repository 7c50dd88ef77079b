/**
 * CPU decisions as cgroup settings: {@link org.vireo.cgroups.CgroupCpuMapping} turns the
 * {@link org.vireo.api.cpu.CpuAllocation} a CPU policy made for one host into one
 * {@link org.vireo.cgroups.CgroupCpuSettings} per VM, with the cgroup v1
 * ({@code cpu.cfs_period_us}, {@code cpu.cfs_quota_us}, {@code cpu.shares}) and v2
 * ({@code cpu.max}, {@code cpu.weight}) file contents. Used by hypervisors that run guests as
 * host processes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.cgroups;
