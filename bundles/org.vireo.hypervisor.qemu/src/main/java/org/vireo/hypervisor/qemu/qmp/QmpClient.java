package org.vireo.hypervisor.qemu.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.vireo.hypervisor.qemu.qmp.QmpException.Kind;

/**
 * One QMP connection to one QEMU process. {@link #connect} reads the greeting and negotiates
 * capabilities; {@link #execute} sends a command with a fresh id and waits for the reply that
 * carries that id, so that commands from several threads and events interleaved with replies are
 * told apart. A reader thread parses the line-delimited JSON; events go to the listeners on a
 * second thread so that a listener may itself execute commands.
 * <p>
 * Thread-safe.
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINE = 16 * 1024 * 1024;

    private final String name;
    private final SocketChannel channel;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<QmpListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object writeLock = new Object();
    private final ExecutorService dispatcher;
    private volatile String closeReason;

    private QmpClient(String name, SocketChannel channel) {
        this.name = name;
        this.channel = channel;
        this.dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "qmp-events " + name));
    }

    /**
     * Connects, reads the greeting and sends {@code qmp_capabilities}.
     *
     * @param socket the QMP socket ({@code -qmp unix:PATH,server=on,wait=off})
     * @param name names this connection in thread names and messages (e.g. the VM's name)
     * @param timeout how long to wait for the greeting and for each reply of the handshake
     * @param initial a listener registered before the first event can arrive, or null
     * @return the ready client
     * @throws QmpException if the socket cannot be reached or the handshake fails
     */
    public static QmpClient connect(Path socket, String name, Duration timeout, QmpListener initial) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new QmpException(Kind.IO, null, name + ": cannot open a Unix socket: " + e.getMessage(), e);
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new QmpException(Kind.IO, null, name + ": cannot connect to QMP socket " + socket + ": " + e.getMessage(), e);
        }
        QmpClient client = new QmpClient(name, channel);
        if (initial != null) {
            client.addListener(initial);
        }
        Thread reader = daemon(client::readLoop, "qmp-reader " + name);
        reader.start();
        try {
            client.awaitGreeting(timeout);
            client.execute("qmp_capabilities", null, timeout);
            return client;
        } catch (QmpException e) {
            client.close();
            throw e;
        }
    }

    /** @return the greeting's {@code QMP} object (version, capabilities) */
    public JsonNode greeting() {
        return greeting.getNow(null);
    }

    /** @return QEMU's version from the greeting, e.g. {@code 10.0.2}, or empty if unknown */
    public String qemuVersion() {
        JsonNode g = greeting();
        JsonNode v = g == null ? null : g.path("version").path("qemu");
        if (v == null || v.isMissingNode()) {
            return "";
        }
        return v.path("major").asInt() + "." + v.path("minor").asInt() + "." + v.path("micro").asInt();
    }

    /** @param listener receives events and the end of the connection */
    public void addListener(QmpListener listener) {
        listeners.add(listener);
    }

    /** @param listener a listener added before */
    public void removeListener(QmpListener listener) {
        listeners.remove(listener);
    }

    /** @return whether the connection is still open */
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Sends a command and waits for its reply.
     *
     * @param command the command, e.g. {@code query-status}
     * @param arguments its arguments (an object node or anything Jackson turns into an object), or null
     * @param timeout how long to wait for the reply
     * @return the reply's {@code return} value
     * @throws QmpException for an error reply, a timeout or a closed connection
     */
    public JsonNode execute(String command, Object arguments, Duration timeout) {
        if (closed.get()) {
            throw new QmpException(Kind.CLOSED, null, name + ": " + command + ": the QMP connection is closed ("
                    + closeReason + ")", null);
        }
        String id = "vireo-" + ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("execute", command);
        if (arguments != null) {
            message.set("arguments", JSON.valueToTree(arguments));
        }
        message.put("id", id);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            write(message);
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QmpException(Kind.TIMEOUT, null, name + ": " + command + ": no reply within "
                    + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(Kind.CLOSED, null, name + ": " + command + ": interrupted while waiting for the reply", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException q) {
                throw new QmpException(q.kind(), q.errorClass(), q.getMessage(), q);
            }
            throw new QmpException(Kind.IO, null, name + ": " + command + ": " + e.getCause(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** Closes the connection; pending commands fail with {@link Kind#CLOSED}. */
    @Override
    public void close() {
        shutdown("closed by Vireo");
    }

    private void awaitGreeting(Duration timeout) {
        try {
            JsonNode g = greeting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (g == null || !g.isObject()) {
                throw new QmpException(Kind.PROTOCOL, null, name + ": the QMP greeting is not an object: " + g, null);
            }
        } catch (TimeoutException e) {
            throw new QmpException(Kind.TIMEOUT, null, name + ": no QMP greeting within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(Kind.CLOSED, null, name + ": interrupted while waiting for the QMP greeting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException q) {
                throw q;
            }
            throw new QmpException(Kind.IO, null, name + ": QMP greeting: " + e.getCause(), e.getCause());
        }
    }

    private void write(ObjectNode message) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new QmpException(Kind.PROTOCOL, null, name + ": cannot encode " + message.path("execute").asText()
                    + ": " + e.getOriginalMessage(), e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        synchronized (writeLock) {
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                shutdown("write failed: " + e.getMessage());
                throw new QmpException(Kind.CLOSED, null, name + ": " + message.path("execute").asText()
                        + ": cannot write to the QMP socket: " + e.getMessage(), e);
            }
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String reason = "QEMU closed the QMP socket";
        try {
            while (!closed.get()) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        handle(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else if (line.size() < MAX_LINE) {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            reason = closed.get() ? closeReason : "QMP read failed: " + e.getMessage();
        }
        shutdown(reason);
    }

    private void handle(String text) {
        if (text.isBlank()) {
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            failGreeting(new QmpException(Kind.PROTOCOL, null, name + ": not JSON from QMP: " + abbreviate(text), e));
            return;
        }
        if (message.has("QMP")) {
            greeting.complete(message.get("QMP"));
        } else if (message.has("event")) {
            JsonNode ts = message.path("timestamp");
            long micros = ts.path("seconds").asLong() * 1_000_000L + ts.path("microseconds").asLong();
            QmpEvent event = new QmpEvent(message.get("event").asText(), message.get("data"), micros);
            dispatch(l -> l.event(event));
        } else if (message.has("return") || message.has("error")) {
            CompletableFuture<JsonNode> reply = pending.get(message.path("id").asText(""));
            if (reply == null) {
                return; // a reply to a command that already timed out
            }
            if (message.has("error")) {
                JsonNode error = message.get("error");
                String cls = error.path("class").asText("GenericError");
                reply.completeExceptionally(new QmpException(Kind.ERROR, cls, name + ": QEMU refused the command: "
                        + cls + ": " + error.path("desc").asText(""), null));
            } else {
                reply.complete(message.get("return"));
            }
        } else {
            failGreeting(new QmpException(Kind.PROTOCOL, null, name + ": unexpected QMP message: " + abbreviate(text), null));
        }
    }

    private void failGreeting(QmpException e) {
        greeting.completeExceptionally(e);
    }

    private void dispatch(java.util.function.Consumer<QmpListener> call) {
        try {
            dispatcher.execute(() -> {
                for (QmpListener l : listeners) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        // one faulty listener must not silence the others
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: the event arrived after the end of the connection
        }
    }

    private void shutdown(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        closeQuietly(channel);
        QmpException gone = new QmpException(Kind.CLOSED, null, name + ": the QMP connection closed: " + reason, null);
        greeting.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        dispatch(l -> l.closed(reason));
        dispatcher.shutdown();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }
}
