package org.vireo.core.policy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code org.vireo.policy}: the chosen implementation of each single-active family. */
@ObjectClassDefinition(id = PolicyManager.PID, name = "Vireo policies",
        description = "The implementation (its vireo.name) to make active in each single-active SPI family; when it is not "
                + "installed, the highest-ranked installed one is active until it returns.")
public @interface PolicyConfig {
    /** @return the CPU QoS policy, e.g. {@code reservation}, {@code credit}, {@code fair} */
    @AttributeDefinition(description = "CPU QoS policy", required = false)
    String cpu() default "";

    /** @return the memory reclaim policy */
    @AttributeDefinition(description = "Memory reclaim policy", required = false)
    String memory() default "";

    /** @return the migration strategy */
    @AttributeDefinition(description = "Migration strategy", required = false)
    String migration() default "";
}
