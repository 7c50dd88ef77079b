package org.vireo.hypervisor.qemu;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.model.VmSpec;

/**
 * What {@code qemu.json} in a VM's directory records about its running QEMU process, so that a
 * restarted runtime finds the process again: its pid (with its start time, so that a recycled
 * pid is never mistaken for it), its QMP socket and the definition it runs with.
 *
 * @param format the file's format version ({@link #FORMAT})
 * @param host the host's name
 * @param vm the VM's name
 * @param pid QEMU's process id
 * @param startTicks the process's start time ({@code /proc/PID/stat} field 22)
 * @param qmpSocket the QMP socket's path
 * @param accelerator {@code tcg} or {@code kvm}
 * @param startedAtMillis when it was started, epoch milliseconds
 * @param spec the definition it runs with
 */
public record VmRecord(int format, String host, String vm, long pid, long startTicks, String qmpSocket,
        String accelerator, long startedAtMillis, VmSpec spec) {
    /** The format written; a file of another major format is refused. */
    public static final int FORMAT = 1;

    static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.GETTER, Visibility.NONE)
            .setVisibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes the record atomically, readable by its owner only.
     *
     * @param file where
     * @throws IOException if it cannot be written
     */
    void write(Path file) throws IOException {
        VmPaths.writeAtomically(file, JSON.writeValueAsBytes(this));
    }

    /**
     * @param file a {@code qemu.json}
     * @return the record
     * @throws HypervisorException naming the file if it is unreadable or of an unknown format
     */
    static VmRecord read(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new HypervisorException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int format = tree.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new HypervisorException(file + ": format " + format + " is not supported; expected " + FORMAT);
        }
        try {
            return JSON.treeToValue(tree, VmRecord.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new HypervisorException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
