package org.vireo.api.model;

/**
 * A definition value was rejected. Carries the field, the rejected value and a description of
 * what is allowed, e.g. {@code vcpus: -2 is not allowed; expected an integer from 1 to 256}.
 *
 * @since 1.0
 */
public final class InvalidSpecException extends VireoException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String allowed;

    /**
     * @param field the dotted name of the field, e.g. {@code cpu.reservationMhz}
     * @param value the rejected value as given ({@code null} is rendered as "null")
     * @param allowed what would have been accepted
     */
    public InvalidSpecException(String field, Object value, String allowed) {
        super(field + ": " + render(value) + " is not allowed; expected " + allowed);
        this.field = field;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
    }

    /** @return the dotted name of the rejected field */
    public String field() {
        return field;
    }

    /** @return the rejected value, as text */
    public String value() {
        return value;
    }

    /** @return what the field accepts */
    public String allowed() {
        return allowed;
    }
}
