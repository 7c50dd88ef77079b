package org.vireo.itests;

import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.junit.After;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The configuration every Pax Exam test shares: the runtime's resolved bundle set (without the
 * interactive shell) in a Felix with SCR, a fresh data folder per test class, and helpers to
 * wait for services and conditions and to register test implementations of the SPIs.
 * Subclasses are annotated {@code @RunWith(PaxExam.class)} and
 * {@code @ExamReactorStrategy(PerClass.class)}.
 */
public abstract class VireoTestSupport {
    /** How long a condition may take: generous, since the machine may be busy. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Bundles of the runtime set left out: the interactive shell would read the test's stdin. */
    private static final List<String> LEFT_OUT = List.of("org.apache.felix.gogo.jline", "jline-");

    @Inject
    protected BundleContext context;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    /** @return the container: see the class description */
    @Configuration
    public Option[] configuration() throws IOException {
        Path data = Files.createTempDirectory("vireo-itest-");
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        List<Option> options = new ArrayList<>();
        for (File jar : runtimeBundles()) {
            options.add(bundle(jar.toURI().toString()));
        }
        options.add(junitBundles());
        options.add(frameworkProperty("vireo.data").value(data.toString()));
        options.add(frameworkProperty("felix.cm.dir").value(data.resolve("config").toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(deploy.toString()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.log.level").value("2"));
        options.add(frameworkProperty("felix.log.level").value("1"));
        options.add(frameworkProperty("felix.cm.loglevel").value("2"));
        options.add(frameworkProperty("ds.loglevel").value("warn"));
        options.add(frameworkProperty("ds.delayed.keepInstances").value("true"));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.addAll(Arrays.asList(extraOptions()));
        return options.toArray(Option[]::new);
    }

    /** @return options a test class adds to the shared configuration */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    private static List<File> runtimeBundles() {
        String folder = System.getProperty("vireo.itest.bundles");
        File[] jars = folder == null ? null : new File(folder).listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in vireo.itest.bundles=" + folder
                    + ": run the tests with Maven (mvn verify), which unpacks the runtime's bundle set there");
        }
        List<File> result = new ArrayList<>();
        for (File jar : jars) {
            if (LEFT_OUT.stream().noneMatch(jar.getName()::startsWith)) {
                result.add(jar);
            }
        }
        result.sort(null);
        return result;
    }

    /**
     * Unregisters what the test registered, so that the next test starts from the runtime alone,
     * and releases the services it used.
     */
    @After
    public void unregisterTestServices() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the test unregistered it itself
            }
        }
        registrations.clear();
    }

    /**
     * @param type a service interface
     * @param <T> its type
     * @return the highest-ranked service, waiting up to {@link #TIMEOUT} for one; it is held
     *         until the end of the test
     */
    protected <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        trackers.add(tracker);
        try {
            T service = tracker.waitForService(TIMEOUT.toMillis());
            if (service == null) {
                fail("no " + type.getName() + " service within " + TIMEOUT.toSeconds() + " s; bundles: " + bundleStates());
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + type.getName(), e);
        }
    }

    /**
     * Registers a test implementation of an SPI, unregistered after the test.
     *
     * @param type the SPI interface
     * @param implementation the implementation
     * @param name its {@code vireo.name}
     * @param ranking its {@code service.ranking}
     * @param <T> the SPI type
     * @return the registration, to unregister it within the test
     */
    protected <T> ServiceRegistration<T> register(Class<T> type, T implementation, String name, int ranking) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("vireo.name", name);
        properties.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<T> registration = context.registerService(type, implementation, properties);
        registrations.add(registration);
        return registration;
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            sleep(20);
        }
    }

    /**
     * Waits until a value satisfies a predicate.
     *
     * @param what what is awaited, for the failure message
     * @param value reads the value
     * @param until the predicate
     * @param <T> the value's type
     * @return the first value that satisfied it
     */
    protected static <T> T await(String what, Supplier<T> value, Predicate<T> until) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = value.get();
        while (!until.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what + "; last value: " + last);
            }
            sleep(20);
            last = value.get();
        }
        return last;
    }

    /** @return every bundle with its state, for failure messages */
    protected String bundleStates() {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : context.getBundles()) {
            sb.append(b.getSymbolicName()).append('=').append(state(b.getState())).append(' ');
        }
        return sb.toString().trim();
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
