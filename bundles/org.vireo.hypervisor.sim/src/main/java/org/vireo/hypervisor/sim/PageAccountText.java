package org.vireo.hypervisor.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.vireo.hypervisor.sim.engine.ContentClass;
import org.vireo.hypervisor.sim.engine.PageAccount;
import org.vireo.hypervisor.sim.engine.PageLocation;

/**
 * {@code sim:pages} output: a host's {@link PageAccount} as a table or as JSON. JSON fields:
 * {@code host}, {@code clockMillis}, {@code sharedFrames}, {@code sharedReferences},
 * {@code savedPages}, {@code zeroReferences}, {@code imageFrames}, {@code imageReferences},
 * {@code problems} (array of text, empty when every page is accounted for) and {@code vms}, one
 * object per VM with {@code vm}, {@code image}, {@code configuredPages}, {@code totalPages},
 * {@code contentDigest} (hex), {@code writtenPages}, {@code copyOnWriteBreaks},
 * {@code swapFaults}, {@code byContent} and {@code byLocation} (page counts by key) and
 * {@code pages} (content key, then location key: {@code private}, {@code shared},
 * {@code ballooned}, {@code swapped}).
 */
final class PageAccountText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageAccountText() {
    }

    static String json(PageAccount a) {
        ObjectNode root = JSON.createObjectNode();
        root.put("host", a.host());
        root.put("clockMillis", a.clockMillis());
        root.put("sharedFrames", a.sharedFrames());
        root.put("sharedReferences", a.sharedReferences());
        root.put("savedPages", a.savedPages());
        root.put("zeroReferences", a.zeroReferences());
        root.put("imageFrames", a.imageFrames());
        root.put("imageReferences", a.imageReferences());
        ArrayNode problems = root.putArray("problems");
        a.problems().forEach(problems::add);
        ArrayNode vms = root.putArray("vms");
        for (PageAccount.Vm v : a.vms()) {
            ObjectNode vm = vms.addObject();
            vm.put("vm", v.vm());
            vm.put("image", v.image());
            vm.put("configuredPages", v.configuredPages());
            vm.put("totalPages", v.total());
            vm.put("contentDigest", Long.toHexString(v.contentDigest()));
            vm.put("writtenPages", v.writtenPages());
            vm.put("copyOnWriteBreaks", v.copyOnWriteBreaks());
            vm.put("swapFaults", v.swapFaults());
            ObjectNode byContent = vm.putObject("byContent");
            ObjectNode byLocation = vm.putObject("byLocation");
            ObjectNode pages = vm.putObject("pages");
            for (ContentClass c : ContentClass.values()) {
                byContent.put(c.key(), v.content(c));
                ObjectNode row = pages.putObject(c.key());
                for (PageLocation l : PageLocation.values()) {
                    row.put(key(l), v.pages(c, l));
                }
            }
            for (PageLocation l : PageLocation.values()) {
                byLocation.put(key(l), v.location(l));
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the page account of " + a.host() + " as JSON", e);
        }
    }

    static String text(PageAccount a) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "host %s: %d shared frames for %d guest pages (%d saved; zero page %d refs, "
                + "%d image frames for %d refs)%n", a.host(), a.sharedFrames(), a.sharedReferences(), a.savedPages(),
                a.zeroReferences(), a.imageFrames(), a.imageReferences()));
        sb.append(String.format(Locale.ROOT, "%-20s %-13s %10s %10s %10s %10s %10s  %s%n", "VM", "content", "private", "shared",
                "ballooned", "swapped", "total", "digest"));
        for (PageAccount.Vm v : a.vms()) {
            for (ContentClass c : ContentClass.values()) {
                sb.append(String.format(Locale.ROOT, "%-20s %-13s %10d %10d %10d %10d %10d%n", v.vm(), c.key(),
                        v.pages(c, PageLocation.PRIVATE), v.pages(c, PageLocation.SHARED), v.pages(c, PageLocation.BALLOONED),
                        v.pages(c, PageLocation.SWAPPED), v.content(c)));
            }
            sb.append(String.format(Locale.ROOT, "%-20s %-13s %10d %10d %10d %10d %10d  %016x (configured %d)%n", v.vm(), "all",
                    v.location(PageLocation.PRIVATE), v.location(PageLocation.SHARED), v.location(PageLocation.BALLOONED),
                    v.location(PageLocation.SWAPPED), v.total(), v.contentDigest(), v.configuredPages()));
        }
        sb.append(a.problems().isEmpty() ? "every page accounted for" : "PROBLEMS: " + String.join("; ", a.problems()));
        return sb.toString();
    }

    private static String key(PageLocation l) {
        return l.name().toLowerCase(Locale.ROOT);
    }
}
