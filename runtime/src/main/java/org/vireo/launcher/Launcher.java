package org.vireo.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Starts Vireo: a Felix framework with every bundle of the distribution's {@code bundles/}
 * folder, then either the interactive Gogo shell or the commands given with {@code -c} and
 * {@code --script}. Bundles start in three waves: the infrastructure (SCR, ConfigAdmin, Gogo
 * runtime, FileInstall, ...), then, once the default configurations are in ConfigAdmin, the
 * Vireo bundles, and last the Gogo shell, when the commands are registered.
 */
public final class Launcher {
    private static final String SHELL = "org.apache.felix.gogo.jline";
    private static final String JLINE = "org.jline";
    private static final String COMMANDS = "org.vireo.shell";
    private static final String COMMANDS_READY = "(osgi.command.scope=vm)";
    private static final long READY_TIMEOUT_MILLIS = 20_000;

    private final PrintStream out;
    private final PrintStream err;
    /** Set when the JVM is being stopped (Ctrl-C, SIGTERM): the script ends without more output. */
    private volatile boolean stopping;

    private Launcher(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @param args see {@link Options#USAGE} */
    public static void main(String[] args) {
        System.exit(new Launcher(System.out, System.err).run(args));
    }

    private int run(String[] args) {
        Path dist = distribution();
        Options options;
        List<String> commands = new ArrayList<>();
        try {
            options = Options.parse(args, Path.of(System.getProperty("vireo.home", dist.toString())));
            for (Options.Source source : options.commands()) {
                String text = source.text() != null ? source.text()
                        : source.file() != null ? Files.readString(source.file())
                        : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                commands.addAll(split(source.name(), text));
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + (e instanceof IOException ? "cannot read script " + e.getMessage() : e.getMessage()));
            err.println(Options.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(Options.USAGE);
            return 0;
        }
        Framework framework;
        try {
            framework = start(dist, options);
        } catch (Exception e) {
            err.println("error: Vireo did not start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            stop(framework);
        }, "vireo-shutdown"));
        if (!options.scripted()) {
            return waitForStop(framework, 0) ? 0 : 1;
        }
        int status = execute(framework.getBundleContext(), commands);
        stop(framework);
        return status;
    }

    private List<String> split(String name, String text) {
        try {
            return CommandSplitter.split(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((name.equals("-c") ? "-c" : "script " + name) + ", " + e.getMessage());
        }
    }

    private Framework start(Path dist, Options options) throws Exception {
        LogLevel log = LogLevel.parse(System.getProperty("vireo.log.level", "warn"));
        log.applyToJavaLogging();
        Files.createDirectories(options.data());
        Files.createDirectories(options.deploy());
        if (options.scripted()) {
            System.setProperty("org.jline.terminal.provider", "dumb");
        } else if (System.console() == null && System.getProperty("org.jline.terminal.dumb") == null) {
            System.setProperty("org.jline.terminal.dumb", "true");
        }

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        @SuppressWarnings({"unchecked", "rawtypes"}) // Felix also takes objects: felix.log.logger
        Framework framework = factory.newFramework((Map) properties(dist, options, log));
        framework.init();
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = install(context, dist.resolve("bundles"));
            framework.start();
            startAll(bundles, b -> !b.getSymbolicName().startsWith("org.vireo.") && !b.getSymbolicName().equals(SHELL));
            StderrLog.forward(context, log);
            DefaultConfigurations.apply(context, dist.resolve("etc"));
            startAll(bundles, b -> b.getSymbolicName().startsWith("org.vireo."));
            awaitCommands(context, bundles);
            Bundle shell = bundles.stream().filter(b -> SHELL.equals(b.getSymbolicName())).findFirst().orElse(null);
            if (shell != null) {
                if (!options.scripted()) {
                    out.println("Vireo: " + bundles.size() + " bundles, data in " + options.data()
                            + ". Type 'help' for the commands, Ctrl-D to leave.");
                }
                startShell(shell, bundles);
            }
            return framework;
        } catch (Exception e) {
            stop(framework);
            throw e;
        }
    }

    private static Map<String, Object> properties(Path dist, Options options, LogLevel log) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, options.data().resolve("cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("vireo.data", options.data().toString());
        properties.put("felix.cm.dir", options.data().resolve("config").toString());
        properties.put("felix.fileinstall.dir", options.deploy().toString());
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.log.logger", StderrLog.framework(log));
        properties.put("felix.fileinstall.log.level", log.felix());
        properties.put("felix.log.level", log.felix());
        properties.put("felix.cm.loglevel", log.felix());
        properties.put("ds.loglevel", log.scr());
        // Core and the hypervisors hold live state (the inventory, running VMs, the event log):
        // SCR must not dispose a delayed component when its last user lets go of it.
        properties.put("ds.delayed.keepInstances", "true");
        properties.put("gosh.home", dist.toString());
        properties.put("gosh.args", options.scripted() ? "--nointeractive --nohistory" : "");
        return properties;
    }

    private static List<Bundle> install(BundleContext context, Path folder) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> list = Files.list(folder)) {
            jars = list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IOException("cannot list the bundles folder " + folder + ": " + e.getMessage(), e);
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            // reference: installs the jar in place instead of copying it into the cache
            bundles.add(context.installBundle("reference:" + jar.toUri()));
        }
        return bundles;
    }

    private static void startAll(List<Bundle> bundles, Predicate<Bundle> which) throws BundleException {
        for (Bundle bundle : bundles) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && which.test(bundle)) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    throw new BundleException("bundle " + bundle.getSymbolicName() + " did not start: " + e.getMessage(), e);
                }
            }
        }
    }

    /** SCR registers the commands asynchronously; the shell must not see a half-filled registry. */
    private static void awaitCommands(BundleContext context, List<Bundle> bundles) throws InvalidSyntaxException, InterruptedException {
        if (bundles.stream().noneMatch(b -> COMMANDS.equals(b.getSymbolicName()))) {
            return;
        }
        long deadline = System.nanoTime() + READY_TIMEOUT_MILLIS * 1_000_000;
        while (context.getServiceReferences((String) null, COMMANDS_READY) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Vireo commands " + COMMANDS_READY + " were not registered within "
                        + READY_TIMEOUT_MILLIS / 1000 + " s: a component of " + COMMANDS
                        + " or of the services it needs is not satisfied (see scr:list in the shell)");
            }
            Thread.sleep(10);
        }
    }

    /** JLine finds its terminal providers through the context class loader: give it its own. */
    private void startShell(Bundle shell, List<Bundle> bundles) throws BundleException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        bundles.stream().filter(b -> JLINE.equals(b.getSymbolicName())).findFirst()
                .map(b -> b.adapt(BundleWiring.class)).filter(w -> w != null)
                .ifPresent(w -> thread.setContextClassLoader(w.getClassLoader()));
        try {
            shell.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private int execute(BundleContext context, List<String> commands) {
        try (GogoSession session = GogoSession.open(context, System.in, out, err)) {
            for (String command : commands) {
                if (stopping) {
                    return 1;
                }
                out.println("vireo> " + command);
                try {
                    Object result = session.execute(command);
                    if (result != null) {
                        out.println(session.format(result));
                    }
                } catch (Exception e) {
                    out.flush();
                    if (stopping) {
                        return 1;
                    }
                    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    err.println("error: command '" + command + "' failed: " + message);
                    return 1;
                }
            }
            return 0;
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    private static boolean waitForStop(Framework framework, long millis) {
        try {
            FrameworkEvent event = framework.waitForStop(millis);
            return event.getType() != FrameworkEvent.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void stop(Framework framework) {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            try {
                framework.stop();
            } catch (BundleException e) {
                System.err.println("warning: stopping the framework: " + e.getMessage());
            }
            waitForStop(framework, 10_000);
        }
    }

    /** @return the folder holding the launcher jar, its {@code bundles/} and {@code etc/} */
    private static Path distribution() {
        try {
            Path location = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location.getParent() : Path.of("").toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar: " + e.getMessage(), e);
        }
    }
}
