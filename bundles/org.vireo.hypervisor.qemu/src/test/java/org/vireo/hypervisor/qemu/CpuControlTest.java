package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.vireo.api.cpu.Admission;
import org.vireo.api.cpu.CpuAllocation;
import org.vireo.api.cpu.CpuDemand;
import org.vireo.api.cpu.CpuEntitlement;
import org.vireo.api.cpu.CpuQosPolicy;
import org.vireo.api.cpu.CpuSnapshot;
import org.vireo.api.model.CpuQos;
import org.vireo.api.model.VmSpec;
import org.vireo.cgroups.CgroupCpuSettings;

class CpuControlTest {
    private static final CpuSnapshot HOST = new CpuSnapshot("h1", 4800, 2400, List.of(
            new CpuDemand("a", 1, new CpuQos(1200L, 0, 2000), 2400),
            new CpuDemand("b", 2, new CpuQos(null, 0, 1000), 4800)));

    private static CpuQosPolicy policy(java.util.function.Function<CpuSnapshot, CpuAllocation> allocate) {
        return new CpuQosPolicy() {
            @Override
            public CpuAllocation allocate(CpuSnapshot host) {
                return allocate.apply(host);
            }

            @Override
            public Admission admit(CpuSnapshot host, VmSpec candidate) {
                return Admission.granted();
            }
        };
    }

    @Test
    void thePolicysDecisionBecomesCgroupSettings() {
        AtomicReference<CpuSnapshot> seen = new AtomicReference<>();
        CpuQosPolicy policy = policy(host -> {
            seen.set(host);
            return new CpuAllocation(List.of(new CpuEntitlement("a", 1200, 1200, 2000),
                    new CpuEntitlement("b", 3600, Double.POSITIVE_INFINITY, 1000)), List.of("b: a warning"));
        });

        CpuControl.Decision d = CpuControl.decide(HOST, Optional.of(policy));

        assertSame(HOST, seen.get(), "the policy decides on the snapshot as built");
        assertEquals("", d.problem());
        assertEquals(List.of("b: a warning"), d.allocation().warnings());
        assertEquals(3600, d.entitlement("b").orElseThrow().entitledMhz());
        assertEquals(new CgroupCpuSettings("a", 100_000, 50_000, 2000, 77), d.settings("a").orElseThrow(),
                "a limit of half a core's MHz is a quota of half the period");
        assertEquals(CgroupCpuSettings.NO_QUOTA, d.settings("b").orElseThrow().quotaUs());
        assertEquals(1000, d.settings("b").orElseThrow().shares());
    }

    @Test
    void withoutAPolicyEveryVcpuGetsTheSameShareAndLimitsHold() {
        CpuControl.Decision d = CpuControl.decide(HOST, Optional.empty());

        assertEquals(1200, d.entitlement("a").orElseThrow().entitledMhz(), 1e-9, "a is held by its limit");
        assertEquals(3600, d.entitlement("b").orElseThrow().entitledMhz(), 1e-9, "b takes what a leaves");
        assertEquals(50_000, d.settings("a").orElseThrow().quotaUs());
        assertEquals(1000, d.settings("a").orElseThrow().shares(), "one vCPU");
        assertEquals(2000, d.settings("b").orElseThrow().shares(), "two vCPUs");
        assertEquals("", d.problem());
    }

    @Test
    void equalSharesPerVcpuWhenEveryoneWantsMore() {
        CpuSnapshot host = new CpuSnapshot("h1", 3000, 3000, List.of(
                new CpuDemand("a", 1, CpuQos.DEFAULT, 3000), new CpuDemand("b", 2, CpuQos.DEFAULT, 6000)));

        CpuAllocation a = CpuControl.equalPerVcpu(host);

        assertEquals(1000, a.entitlements().get(0).entitledMhz(), 1e-9);
        assertEquals(2000, a.entitlements().get(1).entitledMhz(), 1e-9);
        assertEquals(List.of(), CpuControl.equalPerVcpu(new CpuSnapshot("h1", 3000, 3000, List.of())).entitlements());
    }

    @Test
    void aFailingPolicyFallsBackToEqualSharesAndSaysWhy() {
        CpuControl.Decision d = CpuControl.decide(HOST, Optional.of(policy(host -> {
            throw new IllegalStateException("boom");
        })));

        assertTrue(d.problem().contains("failed on host h1") && d.problem().contains("boom"), d.problem());
        assertEquals(1200, d.entitlement("a").orElseThrow().entitledMhz(), 1e-9);
        assertEquals(2, d.settings().size());
    }

    @Test
    void aPolicyAnsweringForOtherVmsIsNotApplied() {
        CpuControl.Decision d = CpuControl.decide(HOST, Optional.of(policy(host -> new CpuAllocation(
                List.of(new CpuEntitlement("zz", 1, 1, 1)), List.of()))));

        assertTrue(d.problem().contains("zz"), d.problem());
        assertEquals(2, d.settings().size());
    }
}
