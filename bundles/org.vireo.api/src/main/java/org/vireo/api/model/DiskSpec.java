package org.vireo.api.model;

import java.io.Serializable;
import java.util.Locale;

/**
 * A virtual disk of a VM. Its file lives in the VM's directory (encapsulation) unless it is a
 * shared volume, which lives on a shared datastore and may be attached to several VMs.
 *
 * @param name the disk's name, unique within the VM; names the file
 * @param capacityMiB the capacity the guest sees, from 1 MiB to 64 TiB
 * @param datastore the datastore that holds the file
 * @param format {@code RAW} or {@code COW}
 * @param base for a linked clone, the path of the read-only base image this disk references
 *        ({@code null} otherwise); only a {@code COW} disk can have a base
 * @param shared whether the disk is a shared volume (never copied by clone or export)
 * @since 1.0
 */
public record DiskSpec(String name, long capacityMiB, String datastore, DiskFormat format, String base, boolean shared)
        implements Serializable {
    /** The largest accepted capacity (64 TiB). */
    public static final long MAX_CAPACITY_MIB = 64L * 1024 * 1024;
    /** The datastore used when none is named. */
    public static final String DEFAULT_DATASTORE = "local";

    private static final String SPEC_RULE = "SIZE or name=N,size=SIZE[,datastore=D][,format=raw|cow][,shared]";

    /** Validates every field; see the record description for the rules. */
    public DiskSpec {
        Check.name("disk.name", name);
        Check.range("disk." + name + ".capacityMiB", capacityMiB, 1, MAX_CAPACITY_MIB);
        Check.name("disk." + name + ".datastore", datastore);
        Check.present("disk." + name + ".format", format);
        if (base != null && format != DiskFormat.COW) {
            throw new InvalidSpecException("disk." + name + ".format", format.id(),
                    "cow for a linked clone (the disk references base " + base + ")");
        }
        if (base != null && base.isBlank()) {
            throw new InvalidSpecException("disk." + name + ".base", base, "a path to a base image, or none");
        }
    }

    /**
     * @param newBase the base image path
     * @return a copy that references {@code newBase}, i.e. a linked clone of it
     */
    public DiskSpec withBase(String newBase) {
        return new DiskSpec(name, capacityMiB, datastore, DiskFormat.COW, newBase, shared);
    }

    /** @return the file name of this disk inside the VM directory */
    public String fileName() {
        return name + (format == DiskFormat.COW ? ".qcow2" : ".img");
    }

    /**
     * Parses the shell form: either a bare size ({@code 10G}, a COW disk on {@code local}) or
     * comma-separated keys {@code name=data,size=10G,datastore=san,format=raw,shared}.
     *
     * @param text the text typed
     * @param defaultName the name when none is given (e.g. {@code disk0})
     * @return the disk
     * @throws InvalidSpecException naming the offending key
     */
    public static DiskSpec parse(String text, String defaultName) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException("disk", text, SPEC_RULE);
        }
        if (!text.contains("=")) {
            return new DiskSpec(defaultName, Units.parseMiB("disk.size", text), DEFAULT_DATASTORE, DiskFormat.COW, null, false);
        }
        String name = defaultName;
        Long size = null;
        String datastore = DEFAULT_DATASTORE;
        DiskFormat format = DiskFormat.COW;
        boolean shared = false;
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? kv[1].trim() : null;
            switch (key) {
                case "name" -> name = value;
                case "size", "capacity" -> size = Units.parseMiB("disk.size", value);
                case "datastore", "ds" -> datastore = value;
                case "format" -> format = DiskFormat.parse("disk.format", value);
                case "shared" -> shared = value == null || Boolean.parseBoolean(value);
                default -> throw new InvalidSpecException("disk", part, SPEC_RULE);
            }
        }
        if (size == null) {
            throw new InvalidSpecException("disk.size", null, "a size such as 10G (" + SPEC_RULE + ")");
        }
        return new DiskSpec(name, size, datastore, format, null, shared);
    }
}
