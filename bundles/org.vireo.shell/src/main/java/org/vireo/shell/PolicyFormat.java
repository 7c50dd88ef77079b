package org.vireo.shell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.vireo.api.inventory.PolicyFamily;
import org.vireo.api.inventory.PolicyInfo;

/**
 * How the policy families are shown. Every family appears, with every installed implementation
 * and, for a single-active family, the configured name even when no bundle provides it.
 * <p>
 * JSON contract of {@code policy:list --json}: an array with one object per family:
 * {@code family}, {@code singleActive}, {@code configured} (null when none, or for a family
 * where every implementation is in use), {@code active} (the names in use) and
 * {@code implementations}, each with {@code name}, {@code installed}, {@code active},
 * {@code ranking}, {@code bundle} and {@code detail}. A configured but absent name is an
 * implementation with {@code installed: false} and null ranking and bundle.
 */
final class PolicyFormat {
    private PolicyFormat() {
    }

    /** One row of the listing: an installed implementation or a configured, absent one. */
    record Entry(PolicyFamily family, String name, boolean installed, boolean active, Integer ranking, String bundle,
            String detail) {
    }

    /** The state of one family. */
    record FamilyState(PolicyFamily family, Optional<String> configured, List<Entry> entries) {
    }

    /**
     * @param installed what the policy service lists
     * @param configured for each single-active family, the name configured for it
     * @return one state per family, in declaration order
     */
    static List<FamilyState> families(List<PolicyInfo> installed, Function<PolicyFamily, Optional<String>> configured) {
        List<FamilyState> out = new ArrayList<>();
        for (PolicyFamily f : PolicyFamily.values()) {
            List<Entry> entries = new ArrayList<>();
            for (PolicyInfo p : installed) {
                if (p.family() == f) {
                    entries.add(new Entry(f, p.name(), true, p.active(), p.ranking(), p.bundle(), p.detail()));
                }
            }
            Optional<String> name = f.isSingleActive() ? configured.apply(f) : Optional.empty();
            name.filter(n -> entries.stream().noneMatch(e -> e.name().equals(n)))
                    .ifPresent(n -> entries.add(new Entry(f, n, false, false, null, null, "configured, not installed")));
            out.add(new FamilyState(f, name, entries));
        }
        return out;
    }

    /**
     * @param families the families
     * @return the {@code policy:list} table
     */
    static String table(List<FamilyState> families) {
        TextTable t = new TextTable("FAMILY", "NAME", "ACTIVE", "RANKING", "BUNDLE", "NOTE");
        for (FamilyState f : families) {
            if (f.entries().isEmpty()) {
                t.row(f.family().id(), null, null, null, null, "none installed");
            }
            for (Entry e : f.entries()) {
                String note = e.detail() == null || e.detail().isEmpty() ? null : e.detail();
                if (e.installed() && f.configured().filter(e.name()::equals).isPresent() && note == null) {
                    note = "configured";
                }
                t.row(f.family().id(), e.name(), e.active() ? "yes" : "no", e.ranking(), e.bundle(), note);
            }
        }
        return t.render();
    }

    /**
     * @param families the families
     * @return the {@code policy:list --json} document
     */
    static String json(List<FamilyState> families) {
        ArrayNode a = Json.array();
        for (FamilyState f : families) {
            ObjectNode o = a.addObject();
            o.put("family", f.family().id());
            o.put("singleActive", f.family().isSingleActive());
            o.put("configured", f.configured().orElse(null));
            ArrayNode active = o.putArray("active");
            f.entries().stream().filter(Entry::active).forEach(e -> active.add(e.name()));
            ArrayNode impls = o.putArray("implementations");
            for (Entry e : f.entries()) {
                ObjectNode n = impls.addObject();
                n.put("name", e.name());
                n.put("installed", e.installed());
                n.put("active", e.active());
                n.put("ranking", e.ranking());
                n.put("bundle", e.bundle());
                n.put("detail", e.detail());
            }
        }
        return Json.pretty(a);
    }

    /**
     * @param info the implementation now active
     * @return one line for people, e.g. {@code cpu: credit is active}
     */
    static String line(PolicyInfo info) {
        return info.family().id() + ": " + info.name() + " is active" + (info.bundle() == null ? "" : " (" + info.bundle() + ")");
    }
}
