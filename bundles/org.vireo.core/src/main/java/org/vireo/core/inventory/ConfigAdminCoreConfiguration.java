package org.vireo.core.inventory;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vireo.api.model.VireoException;

/**
 * Core's configuration in ConfigAdmin. Written with the location {@code "?"}, as the runtime's
 * configurations are, so that it stays delivered to core's bundle whoever created it.
 */
final class ConfigAdminCoreConfiguration implements CoreConfiguration {
    private static final Set<String> SET_BY_CONFIG_ADMIN = Set.of(Constants.SERVICE_PID.toLowerCase(Locale.ROOT),
            ConfigurationAdmin.SERVICE_FACTORYPID.toLowerCase(Locale.ROOT),
            ConfigurationAdmin.SERVICE_BUNDLELOCATION.toLowerCase(Locale.ROOT));

    private final ConfigurationAdmin admin;

    /** @param admin ConfigAdmin */
    ConfigAdminCoreConfiguration(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, Object> read() {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + Inventory.PID + ")");
        } catch (IOException | InvalidSyntaxException e) {
            throw new VireoException("cannot read the configuration " + Inventory.PID + ": " + e, e);
        }
        Dictionary<String, Object> properties = found == null || found.length == 0 ? null : found[0].getProperties();
        Map<String, Object> read = new HashMap<>();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                if (!SET_BY_CONFIG_ADMIN.contains(key.toLowerCase(Locale.ROOT))) {
                    read.put(key, properties.get(key));
                }
            }
        }
        return read;
    }

    @Override
    public void write(Map<String, Object> properties) {
        try {
            admin.getConfiguration(Inventory.PID, "?").update(new Hashtable<>(properties));
        } catch (IOException e) {
            throw new VireoException("cannot save the configuration " + Inventory.PID + ": " + e, e);
        }
    }
}
