package org.vireo.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A Gogo command session driven from outside the framework. The launcher does not import the
 * Gogo API (it lives in a bundle), so it calls the {@code CommandProcessor} and
 * {@code CommandSession} interfaces, as loaded by the bundle that registered the processor,
 * reflectively.
 */
final class GogoSession implements AutoCloseable {
    private static final String API = "org.apache.felix.service.command.";

    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;
    private final int inspect;

    private GogoSession(Object session, Class<?> sessionType, Class<?> converterType) throws ReflectiveOperationException {
        this.session = session;
        this.execute = sessionType.getMethod("execute", CharSequence.class);
        this.format = sessionType.getMethod("format", Object.class, int.class);
        this.close = sessionType.getMethod("close");
        this.inspect = converterType.getField("INSPECT").getInt(null);
    }

    /**
     * @param context the system bundle's context
     * @param in the session's input
     * @param out its output
     * @param err its error output
     * @return a new session
     * @throws IllegalStateException if no Gogo runtime is running
     */
    static GogoSession open(BundleContext context, InputStream in, PrintStream out, PrintStream err) {
        ServiceReference<?> reference = context.getServiceReference(API + "CommandProcessor");
        if (reference == null) {
            throw new IllegalStateException("no Gogo CommandProcessor service: is org.apache.felix.gogo.runtime installed?");
        }
        try {
            Bundle gogo = reference.getBundle();
            Class<?> processorType = gogo.loadClass(API + "CommandProcessor");
            Object processor = context.getService(reference);
            Object session = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                    .invoke(processor, in, out, err);
            return new GogoSession(session, gogo.loadClass(API + "CommandSession"), gogo.loadClass(API + "Converter"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot open a Gogo session: " + e, e);
        }
    }

    /**
     * @param command one Gogo command line
     * @return its result, possibly {@code null}
     * @throws Exception what the command threw
     */
    Object execute(String command) throws Exception {
        return invoke(execute, command);
    }

    /**
     * @param result a command's result
     * @return the result as the shell would print it
     * @throws Exception if formatting fails
     */
    String format(Object result) throws Exception {
        return String.valueOf(invoke(format, result, inspect));
    }

    @Override
    public void close() throws Exception {
        invoke(close);
    }

    private Object invoke(Method method, Object... args) throws Exception {
        try {
            return method.invoke(session, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw new IllegalStateException(cause.toString(), cause);
        }
    }
}
