package org.vireo.core.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.vireo.api.model.Check;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * The content of a VM's {@code vm.json}.
 *
 * @param format the format version, {@link FormatVersion#CURRENT} when written
 * @param vm the definition
 * @param host the host it is placed on
 * @param state its lifecycle state
 * @param created when it was defined (ISO-8601)
 * @param clonedFrom the VM it was cloned from, or {@code null}
 * @param volumes for each shared disk, the path of its volume relative to the data folder
 */
public record VmDocument(String format, VmSpec vm, String host, VmState state, String created, String clonedFrom,
        Map<String, String> volumes) {
    /** Rejects missing parts; orders the volumes. */
    public VmDocument {
        Check.present("vm", vm);
        Check.name("host", host);
        Check.present("state", state);
        volumes = Collections.unmodifiableMap(new TreeMap<>(volumes == null ? Map.of() : volumes));
    }

    /** @return the VM's name */
    public String name() {
        return vm.name();
    }

    /**
     * @param newState the state
     * @return a copy in that state
     */
    public VmDocument withState(VmState newState) {
        return new VmDocument(FormatVersion.CURRENT, vm, host, newState, created, clonedFrom, volumes);
    }

    /**
     * @param spec the definition
     * @return a copy with another definition
     */
    public VmDocument withVm(VmSpec spec) {
        return new VmDocument(FormatVersion.CURRENT, spec, host, state, created, clonedFrom, volumes);
    }
}
