package org.vireo.api.model;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A virtual network interface.
 *
 * @param name the NIC's name, unique within the VM
 * @param network the network it is attached to
 * @param mac the MAC address ({@code 52:54:00:xx:xx:xx} form), or {@code null} to let the
 *        hypervisor choose
 * @since 1.0
 */
public record NicSpec(String name, String network, String mac) implements Serializable {
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");

    /** Validates every field; see the record description for the rules. */
    public NicSpec {
        Check.name("nic.name", name);
        Check.name("nic." + name + ".network", network);
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw new InvalidSpecException("nic." + name + ".mac", mac, "six hex pairs separated by ':', e.g. 52:54:00:12:34:56");
        }
    }

    /**
     * Parses the shell form {@code NETWORK} or {@code NETWORK,mac=52:54:00:..}.
     *
     * @param text the text typed
     * @param defaultName the name when none is given (e.g. {@code nic0})
     * @return the NIC
     */
    public static NicSpec parse(String text, String defaultName) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException("nic", text, "NETWORK[,mac=MAC]");
        }
        String[] parts = text.split(",");
        String mac = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("mac")) {
                mac = kv[1].trim();
            } else {
                throw new InvalidSpecException("nic", parts[i], "NETWORK[,mac=MAC]");
            }
        }
        return new NicSpec(defaultName, parts[0].trim(), mac);
    }
}
