package org.vireo.api.hypervisor;

import java.io.Serializable;

/**
 * I/O figures of one VM over the last interval.
 *
 * @param diskReadMiBps disk reads, MiB/s
 * @param diskWriteMiBps disk writes, MiB/s
 * @param netRxMbps network received, Mbit/s
 * @param netTxMbps network sent, Mbit/s
 * @since 1.0
 */
public record IoFigures(double diskReadMiBps, double diskWriteMiBps, double netRxMbps, double netTxMbps)
        implements Serializable {
    /** No I/O. */
    public static final IoFigures NONE = new IoFigures(0, 0, 0, 0);
}
