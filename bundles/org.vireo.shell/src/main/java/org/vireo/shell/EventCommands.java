package org.vireo.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.EventService;
import org.vireo.api.inventory.VireoEvent;
import org.vireo.api.model.Check;

/**
 * The {@code events} command (scope {@code vireo}): the event log, and with {@code --follow} the
 * events as they come. Following writes to the session's output, which Gogo binds to
 * {@code System.out} for the command's thread, and ends when the thread is interrupted (Ctrl-C).
 */
@Component(service = EventCommands.class, property = {
    "osgi.command.scope=vireo",
    "osgi.command.function=events"})
public final class EventCommands {
    private final EventService events;
    private final Supplier<PrintStream> out;
    private final EventFollower follower;

    /** @param events the event log */
    @Activate
    public EventCommands(@Reference EventService events) {
        this(events, () -> System.out, Thread::sleep);
    }

    EventCommands(EventService events, Supplier<PrintStream> out, EventFollower.Sleeper sleeper) {
        this.events = events;
        this.out = out;
        this.follower = new EventFollower(events, sleeper);
    }

    @Descriptor("show the event log; with --follow, keep showing new events until Ctrl-C")
    public String events(
            @Descriptor("keep printing new events as they are recorded, until interrupted (Ctrl-C)")
            @Parameter(names = "--follow", presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("JSON: an array, or with --follow one object per line")
            @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("show only the latest N events (default: every event kept)")
            @Parameter(names = "--last", absentValue = Args.ABSENT) String last) {
        List<VireoEvent> initial;
        if (Args.given(last)) {
            int n = (int) Check.range("last", Args.integer("last", last), 1, Integer.MAX_VALUE);
            initial = events.recent(n);
        } else {
            initial = events.since(0);
        }
        if (!follow) {
            return json ? EventFormat.json(initial) : EventFormat.table(initial);
        }
        Function<VireoEvent, String> format = json ? e -> Json.line(EventFormat.json(e)) : EventFormat::line;
        PrintStream stream = out.get();
        long after = 0;
        for (VireoEvent e : initial) {
            stream.println(format.apply(e));
            after = Math.max(after, e.sequence());
        }
        follower.follow(after, stream, format);
        return null;
    }
}
