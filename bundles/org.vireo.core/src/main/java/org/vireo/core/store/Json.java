package org.vireo.core.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The JSON form of saved definitions. The API's records map field by field; {@code isX()}
 * helper methods are not properties; unknown fields (added by a newer minor format) are
 * ignored.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /**
     * @param document a record
     * @return its JSON, UTF-8, ending with a newline
     */
    public static byte[] write(Object document) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(document);
            byte[] withNewline = new byte[json.length + 1];
            System.arraycopy(json, 0, withNewline, 0, json.length);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads a versioned document: checks its {@code format} field, then maps it.
     *
     * @param bytes the file's content
     * @param type the document record
     * @param <T> its type
     * @return the document
     * @throws UnreadableDocumentException saying what is wrong: not JSON, wrong format version,
     *         a value the model rejects
     */
    public static <T> T read(byte[] bytes, Class<T> type) throws UnreadableDocumentException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UnreadableDocumentException("it is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw new UnreadableDocumentException("it is not a JSON object");
        }
        JsonNode format = tree.get("format");
        FormatVersion.check(format == null || format.isNull() ? null : format.asText());
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UnreadableDocumentException("it holds an invalid value: " + firstLine(cause.getMessage()));
        } catch (IOException e) {
            throw new UnreadableDocumentException("it does not match the definition format: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
