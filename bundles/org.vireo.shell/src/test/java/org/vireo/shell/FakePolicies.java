package org.vireo.shell;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vireo.api.inventory.ConflictException;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;
import org.vireo.api.inventory.PolicyService;

/** A policy service over a fixed list of installed implementations. */
final class FakePolicies implements PolicyService {
    final List<PolicyInfo> installed = new ArrayList<>();
    final Map<PolicyFamily, String> configured = new EnumMap<>(PolicyFamily.class);
    final List<String> calls = new ArrayList<>();

    @Override
    public List<PolicyInfo> list() {
        return List.copyOf(installed);
    }

    @Override
    public PolicyInfo use(PolicyFamily family, String name) {
        calls.add("use " + family.id() + " " + name);
        if (!family.isSingleActive()) {
            throw new ConflictException(family.id() + " is not single-active");
        }
        PolicyInfo chosen = installed.stream().filter(p -> p.family() == family && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no " + family.id() + " policy " + name));
        installed.replaceAll(p -> p.family() != family ? p
                : new PolicyInfo(p.family(), p.name(), p.ranking(), p.name().equals(name), p.bundle(), p.detail()));
        configured.put(family, name);
        return new PolicyInfo(chosen.family(), chosen.name(), chosen.ranking(), true, chosen.bundle(), "configured");
    }

    @Override
    public Optional<String> configured(PolicyFamily family) {
        return Optional.ofNullable(configured.get(family));
    }

    @Override
    public <T> Optional<T> active(Class<T> spi) {
        return Optional.empty();
    }

    @Override
    public <T> Optional<T> named(Class<T> spi, String name) {
        return Optional.empty();
    }

    @Override
    public <T> List<T> all(Class<T> spi) {
        return List.of();
    }
}
