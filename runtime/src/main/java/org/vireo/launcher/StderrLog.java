package org.vireo.launcher;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Sends what the framework and the bundles log to stderr, so that standard output carries only
 * the shell's results (a script may read them as JSON). The framework logs through a
 * {@link Logger} until the OSGi Log Service runs; from then on everything, SCR's diagnostics
 * included, goes through the Log Service, whose entries a listener prints. Lines read
 * {@code warning: BUNDLE: MESSAGE}.
 */
final class StderrLog {
    private static final String LOG = "org.osgi.service.log.";

    private StderrLog() {
    }

    /**
     * @param level the most detailed level printed
     * @return the logger to pass to Felix as {@code felix.log.logger}
     */
    static Logger framework(LogLevel level) {
        return new Logger() {
            @Override
            protected void doLogOut(int entryLevel, String message, Throwable error) {
                print(System.err, level, entryLevel, "framework", message, error);
            }
        };
    }

    /**
     * Prints the Log Service's entries from now on, if the Log Service runs.
     *
     * @param context the system bundle's context
     * @param level the most detailed level printed
     * @return whether a Log Service was found
     */
    static boolean forward(BundleContext context, LogLevel level) {
        ServiceReference<?> reference = context.getServiceReference(LOG + "LogReaderService");
        if (reference == null) {
            return false;
        }
        try {
            Bundle log = reference.getBundle();
            Class<?> readerType = log.loadClass(LOG + "LogReaderService");
            Class<?> listenerType = log.loadClass(LOG + "LogListener");
            Class<?> entryType = log.loadClass(LOG + "LogEntry");
            Method entryLevel = entryType.getMethod("getLevel");
            Method bundle = entryType.getMethod("getBundle");
            Method message = entryType.getMethod("getMessage");
            Method exception = entryType.getMethod("getException");
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().equals("logged")) {
                    Object entry = args[0];
                    Bundle source = (Bundle) bundle.invoke(entry);
                    print(System.err, level, (Integer) entryLevel.invoke(entry),
                            source == null ? "framework" : source.getSymbolicName(),
                            (String) message.invoke(entry), (Throwable) exception.invoke(entry));
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "StderrLog";
                };
            };
            Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType}, handler);
            readerType.getMethod("addLogListener", listenerType).invoke(context.getService(reference), listener);
            return true;
        } catch (ReflectiveOperationException e) {
            System.err.println("warning: cannot forward the OSGi log to stderr: " + e);
            return false;
        }
    }

    /** Levels as both Felix and the Log Service number them: 1 error, 2 warning, 3 info, 4 debug. */
    static void print(PrintStream err, LogLevel threshold, int level, String source, String message, Throwable error) {
        if (level > Integer.parseInt(threshold.felix())) {
            return;
        }
        String kind = switch (level) {
            case 1 -> "error";
            case 2 -> "warning";
            case 3 -> "info";
            default -> "debug";
        };
        err.println(kind + ": " + source + ": " + message + (error == null ? "" : ": " + error));
        if (error != null && threshold == LogLevel.DEBUG) {
            error.printStackTrace(err);
        }
    }
}
