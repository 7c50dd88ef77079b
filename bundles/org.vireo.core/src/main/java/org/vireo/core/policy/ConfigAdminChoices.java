package org.vireo.core.policy;

import java.io.IOException;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vireo.api.inventory.PolicyFamily;

/** Keeps the choices in the ConfigAdmin configuration {@value PolicyManager#PID}, one property per family id. */
public final class ConfigAdminChoices implements ChoiceStore {
    private final ConfigurationAdmin admin;

    /** @param admin ConfigAdmin */
    public ConfigAdminChoices(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public void save(PolicyFamily family, String name) throws IOException {
        Configuration configuration = admin.getConfiguration(PolicyManager.PID, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        properties.put(family.id(), name);
        configuration.update(properties);
    }

    @Override
    public Optional<Map<PolicyFamily, String>> current() {
        try {
            Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PolicyManager.PID + ")");
            Map<PolicyFamily, String> choices = new EnumMap<>(PolicyFamily.class);
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return Optional.of(choices);
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            for (PolicyFamily family : PolicyFamily.values()) {
                Object value = properties.get(family.id());
                if (family.isSingleActive() && value != null && !value.toString().isBlank()) {
                    choices.put(family, value.toString().trim());
                }
            }
            return Optional.of(choices);
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
