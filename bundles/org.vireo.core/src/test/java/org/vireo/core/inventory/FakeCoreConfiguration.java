package org.vireo.core.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Core's configuration in memory; records every write. */
final class FakeCoreConfiguration implements CoreConfiguration {
    Map<String, Object> properties = new HashMap<>();
    final List<Map<String, Object>> writes = new ArrayList<>();

    @Override
    public Map<String, Object> read() {
        return new HashMap<>(properties);
    }

    @Override
    public void write(Map<String, Object> next) {
        writes.add(new HashMap<>(next));
        properties = new HashMap<>(next);
    }
}
