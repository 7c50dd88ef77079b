package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vireo.api.hypervisor.HypervisorException;

/**
 * Finds the guest {@code guest/build.sh} built. The first of these that is set wins:
 * <ol>
 * <li>the framework (or system) property {@value #PROPERTY};</li>
 * <li>the environment variable {@value #ENVIRONMENT} (build.sh honours it too);</li>
 * <li>{@code ~/.cache/vireo-guest}, build.sh's default.</li>
 * </ol>
 */
public final class GuestLocator {
    /** The framework property naming the guest directory. */
    public static final String PROPERTY = "vireo.guest.dir";
    /** The environment variable naming the guest directory. */
    public static final String ENVIRONMENT = "VIREO_GUEST_DIR";

    private final Path directory;
    private final String source;

    /**
     * @param property the value of {@value #PROPERTY}, or null
     * @param environment the value of {@value #ENVIRONMENT}, or null
     * @param userHome the user's home directory
     */
    public GuestLocator(String property, String environment, String userHome) {
        if (property != null && !property.isBlank()) {
            directory = Path.of(property.trim());
            source = "property " + PROPERTY;
        } else if (environment != null && !environment.isBlank()) {
            directory = Path.of(environment.trim());
            source = "environment variable " + ENVIRONMENT;
        } else {
            directory = Path.of(userHome, ".cache", "vireo-guest");
            source = "the default location";
        }
    }

    /** @return where the guest is looked for */
    public Path directory() {
        return directory;
    }

    /**
     * @return the guest
     * @throws HypervisorException naming the directory, how it was chosen and how to build the guest
     */
    public GuestImage locate() {
        Path kernel = directory.resolve("vmlinux");
        Path initrd = directory.resolve("initramfs.cpio.gz");
        for (Path p : List.of(kernel, initrd)) {
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new HypervisorException("no guest in " + directory + " (from " + source + "): " + p.getFileName()
                        + " is missing; build it with guest/build.sh (it writes to $" + ENVIRONMENT
                        + " or ~/.cache/vireo-guest), or point -D" + PROPERTY + " at a built guest");
            }
        }
        return new GuestImage(directory, kernel, initrd, readManifest(directory.resolve("manifest")));
    }

    static Map<String, String> readManifest(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            // an unreadable manifest only loses the description
        }
        return values;
    }
}
