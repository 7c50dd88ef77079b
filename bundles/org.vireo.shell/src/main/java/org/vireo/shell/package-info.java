/**
 * The Gogo commands of Vireo: {@code host:add|list|info|remove}, {@code vm:create|start|stop|
 * pause|resume|crash|list|info|destroy|export|import|clone}, {@code policy:list|use},
 * {@code qos:show|set}, {@code mem:show|set|overcommit} and {@code events}. Each command parses its
 * options, calls core services of {@code org.vireo.api.inventory} (or, for {@code mem:overcommit},
 * reads and writes core's configuration through ConfigAdmin) and returns a value: an
 * aligned table or a detail page for people, a JSON document with {@code --json}. Bad input is rejected with the API's
 * {@link org.vireo.api.model.InvalidSpecException} before any service is called. The JSON field
 * names are documented on {@link org.vireo.shell.VmFormat}, {@link org.vireo.shell.HostFormat},
 * {@link org.vireo.shell.PolicyFormat}, {@link org.vireo.shell.QosFormat},
 * {@link org.vireo.shell.MemFormat}, {@link org.vireo.shell.OvercommitFormat} and
 * {@link org.vireo.shell.EventFormat}. Nothing here is
 * exported.
 */
package org.vireo.shell;
