package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vireo.api.inventory.NotFoundException;
import org.vireo.api.inventory.VmService;
import org.vireo.api.inventory.VmView;
import org.vireo.api.model.InvalidSpecException;

/**
 * {@code vm:console NAME [--follow] [--lines N]}: the serial console of a VM run by the qemu
 * hypervisor, read from {@code console.log} in the VM's directory. Following writes to the
 * session's output (Gogo binds {@code System.out} to it for the command's thread) until Ctrl-C.
 */
@Component(service = ConsoleCommands.class, property = {
    "osgi.command.scope=vm",
    "osgi.command.function=console"})
public final class ConsoleCommands {
    /** Lines shown when {@code --lines} is not given. */
    static final int DEFAULT_LINES = 50;

    private final VmService vms;
    private final Supplier<PrintStream> out;
    private final ConsoleLog.Sleeper sleeper;

    /** @param vms the inventory of VMs */
    @Activate
    public ConsoleCommands(@Reference VmService vms) {
        this(vms, () -> System.out, Thread::sleep);
    }

    ConsoleCommands(VmService vms, Supplier<PrintStream> out, ConsoleLog.Sleeper sleeper) {
        this.vms = vms;
        this.out = out;
        this.sleeper = sleeper;
    }

    @Descriptor("show a VM's serial console (VMs of the qemu hypervisor); with --follow, keep showing it until Ctrl-C")
    public String console(
            @Descriptor("keep printing what the guest prints, until interrupted (Ctrl-C)")
            @Parameter(names = "--follow", presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("how many of the last lines to show first (default 50; 0 for all)")
            @Parameter(names = "--lines", absentValue = "50") String lines,
            @Descriptor("the VM's name") String name) {
        int count = parseLines(lines);
        VmView vm = vms.vm(name);
        Path file = new VmPaths(Path.of(vm.directory())).consoleLog();
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("VM '" + name + "' has no console log (" + file + "): only VMs started by the qemu"
                    + " hypervisor have one, and this one was never started there");
        }
        ConsoleLog log = new ConsoleLog(file);
        ConsoleLog.Tail tail;
        try {
            tail = log.tail(count);
        } catch (IOException e) {
            throw new NotFoundException("VM '" + name + "': cannot read " + file + ": " + e.getMessage());
        }
        if (!follow) {
            return tail.text();
        }
        PrintStream stream = out.get();
        stream.print(tail.text());
        log.follow(tail.end(), stream, sleeper);
        return null;
    }

    private static int parseLines(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSpecException("lines", text, "an integer of 0 or more (0 shows the whole log)");
    }
}
