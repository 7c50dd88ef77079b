package org.vireo.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON output of the commands. The documents are built field by field in the {@code *Format}
 * classes, because their field names are a contract with scripts and must not follow a rename
 * in the model.
 */
final class Json {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {
    }

    /** @return a new, empty object */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** @return a new, empty array */
    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * @param values a map of numbers
     * @return an object with the same keys, sorted
     */
    static ObjectNode numbers(Map<String, ? extends Number> values) {
        ObjectNode o = object();
        new TreeMap<>(values).forEach((k, v) -> o.put(k, v == null ? null : v.longValue()));
        return o;
    }

    /**
     * @param node a document
     * @return it as indented text, for a command's return value
     */
    static String pretty(JsonNode node) {
        return write(PRETTY, node);
    }

    /**
     * @param node a document
     * @return it on a single line, for streams of JSON objects (one per line)
     */
    static String line(JsonNode node) {
        return write(COMPACT, node);
    }

    private static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
