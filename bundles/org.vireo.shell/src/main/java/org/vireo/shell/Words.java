package org.vireo.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vireo.api.model.InvalidSpecException;

/**
 * The words Gogo leaves to a command's trailing {@code String...} parameter. Gogo's
 * {@code @Parameter} takes only the first occurrence of an option; later occurrences of a
 * repeatable option ({@code --disk 10G --disk 20G}) stay among the positional words, and so does
 * an option Gogo does not know. This class collects the repeated values and rejects any other
 * word that looks like an option, naming it.
 */
final class Words {
    private final List<String> positional;
    private final Map<String, List<String>> repeated;

    private Words(List<String> positional, Map<String, List<String>> repeated) {
        this.positional = positional;
        this.repeated = repeated;
    }

    /**
     * @param words the words left by Gogo, in order (may be {@code null})
     * @param usage how the command is called, shown when a word is not understood
     * @param repeatable the options that may appear more than once, e.g. {@code --disk}
     * @return the positional words and the extra values of each repeatable option
     * @throws InvalidSpecException for an unknown option or a repeatable option without a value
     */
    static Words parse(String[] words, String usage, String... repeatable) {
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        for (String option : repeatable) {
            repeated.put(option, new ArrayList<>());
        }
        List<String> positional = new ArrayList<>();
        String[] in = words == null ? new String[0] : words;
        for (int i = 0; i < in.length; i++) {
            String w = in[i];
            if (w != null && repeated.containsKey(w)) {
                if (i + 1 >= in.length || in[i + 1] == null) {
                    throw new InvalidSpecException(w.substring(2), null, "a value after " + w);
                }
                repeated.get(w).add(in[++i]);
            } else if (w != null && w.startsWith("--")) {
                throw new InvalidSpecException("option", w, "an option of " + usage);
            } else {
                positional.add(w);
            }
        }
        return new Words(positional, repeated);
    }

    /** @return the words that are not options, in order */
    List<String> positional() {
        return positional;
    }

    /**
     * @param option a repeatable option given to {@link #parse}
     * @return the values of its second and later occurrences, in order
     */
    List<String> repeated(String option) {
        return repeated.getOrDefault(option, List.of());
    }

    /**
     * @param field the field named in an error
     * @param usage how the command is called
     * @return the single positional word
     * @throws InvalidSpecException if there is none, or more than one
     */
    String single(String field, String usage) {
        if (positional.size() != 1) {
            throw new InvalidSpecException(field, positional.isEmpty() ? null : String.join(" ", positional),
                    "exactly one " + field + " (" + usage + ")");
        }
        return positional.get(0);
    }
}
