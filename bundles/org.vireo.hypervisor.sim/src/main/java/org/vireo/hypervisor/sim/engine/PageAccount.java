package org.vireo.hypervisor.sim.engine;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where every guest page of one host is and what it holds, at one instant: the proof that no
 * operation (sharing, ballooning, swapping, a strategy removed mid-run) lost or invented a page.
 * For each VM, the pages by content class × location add up to its configured pages; the host's
 * shared-page table maps exactly the guests' shared pages.
 *
 * @param host the host
 * @param clockMillis the engine's clock
 * @param vms one account per running or paused guest, in start order
 * @param sharedFrames host frames holding shared content
 * @param sharedReferences guest pages mapped to them
 * @param zeroReferences of which mapped to the zero frame
 * @param imageFrames frames holding OS-image pages
 * @param imageReferences guest pages mapped to OS-image frames
 * @param problems what disagrees, empty when every page is accounted for
 */
public record PageAccount(String host, long clockMillis, List<Vm> vms, long sharedFrames, long sharedReferences,
        long zeroReferences, long imageFrames, long imageReferences, List<String> problems) {

    /** Copies the lists. */
    public PageAccount {
        vms = List.copyOf(vms);
        problems = List.copyOf(problems);
    }

    /**
     * One guest's pages.
     *
     * @param vm the VM
     * @param image the OS image it booted
     * @param configuredPages its configured memory
     * @param pages pages by content class, then by location (every combination present)
     * @param contentDigest {@link GuestMemory#contentDigest()}: changes with a write, not with a move
     * @param writtenPages pages holding data the guest wrote
     * @param copyOnWriteBreaks shared pages a write copied, since boot
     * @param swapFaults swapped pages touched and read back, since boot
     */
    public record Vm(String vm, String image, long configuredPages, Map<ContentClass, Map<PageLocation, Long>> pages,
            long contentDigest, long writtenPages, long copyOnWriteBreaks, long swapFaults) {
        /** Copies the maps. */
        public Vm {
            Map<ContentClass, Map<PageLocation, Long>> copy = new EnumMap<>(ContentClass.class);
            pages.forEach((c, byLocation) -> copy.put(c, Map.copyOf(byLocation)));
            pages = Map.copyOf(copy);
        }

        /** @return every page counted once: must equal {@link #configuredPages} */
        public long total() {
            return pages.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        }

        /**
         * @param content a content class
         * @return pages holding it, wherever they are
         */
        public long content(ContentClass content) {
            return pages.getOrDefault(content, Map.of()).values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * @param location a location
         * @return pages there, whatever they hold
         */
        public long location(PageLocation location) {
            return pages.values().stream().mapToLong(m -> m.getOrDefault(location, 0L)).sum();
        }

        /**
         * @param content a content class
         * @param location a location
         * @return pages holding it there
         */
        public long pages(ContentClass content, PageLocation location) {
            return pages.getOrDefault(content, Map.of()).getOrDefault(location, 0L);
        }
    }

    /** @return host pages saved by sharing */
    public long savedPages() {
        return sharedReferences - sharedFrames;
    }

    /**
     * @param name a VM's name
     * @return its account
     * @throws IllegalArgumentException if the host does not run it
     */
    public Vm vm(String name) {
        return vms.stream().filter(v -> v.vm().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no VM '" + name + "' on host " + host));
    }
}
