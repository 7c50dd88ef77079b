package org.vireo.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Applies the default configurations shipped as {@code etc/PID.cfg} (Java properties, one file
 * per PID) to ConfigAdmin, but only for PIDs that have no configuration yet: what was changed
 * at run time (e.g. by {@code policy:use}) and persisted in the data folder wins.
 */
final class DefaultConfigurations {
    private static final String CM = "org.osgi.service.cm.";

    private DefaultConfigurations() {
    }

    /**
     * @param context the system bundle's context
     * @param etc the folder holding the {@code .cfg} files
     * @return the PIDs that were created
     * @throws IOException if a file cannot be read
     * @throws IllegalStateException if ConfigAdmin is not running or refuses a configuration
     */
    static List<String> apply(BundleContext context, Path etc) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.isDirectory(etc) ? Files.list(etc) : Stream.empty()) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList();
        }
        List<String> created = new ArrayList<>();
        if (files.isEmpty()) {
            return created;
        }
        ServiceReference<?> reference = context.getServiceReference(CM + "ConfigurationAdmin");
        if (reference == null) {
            throw new IllegalStateException("no ConfigurationAdmin service: is org.apache.felix.configadmin installed?");
        }
        Object admin = context.getService(reference);
        try {
            Bundle cm = reference.getBundle();
            Class<?> adminType = cm.loadClass(CM + "ConfigurationAdmin");
            Class<?> configurationType = cm.loadClass(CM + "Configuration");
            for (Path file : files) {
                String name = file.getFileName().toString();
                String pid = name.substring(0, name.length() - ".cfg".length());
                Object[] existing = (Object[]) adminType.getMethod("listConfigurations", String.class)
                        .invoke(admin, "(service.pid=" + pid + ")");
                if (existing != null && existing.length > 0) {
                    continue;
                }
                Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                        .invoke(admin, pid, "?");
                configurationType.getMethod("update", Dictionary.class).invoke(configuration, read(file));
                created.add(pid);
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot apply the default configurations of " + etc + ": " + cause, cause);
        } finally {
            context.ungetService(reference);
        }
        return created;
    }

    private static Dictionary<String, Object> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Dictionary<String, Object> dictionary = new Hashtable<>();
        properties.stringPropertyNames().forEach(key -> dictionary.put(key, properties.getProperty(key).strip()));
        return dictionary;
    }
}
