package org.vireo.hypervisor.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A QMP server on a Unix socket that speaks like QEMU: greeting, then one JSON reply per command
 * line, events whenever the test pushes one. What each command returns is the test's handler.
 */
final class FakeQmpServer implements AutoCloseable {
    /** What the handler returns to make the server stay silent for that command. */
    static final JsonNode SILENT = new ObjectMapper().createObjectNode().put("silent", true);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<JsonNode, JsonNode> handler;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private volatile String greeting = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 0, \"major\": 10}, "
            + "\"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}";
    private volatile SocketChannel client;

    /**
     * @param socket where to listen
     * @param handler given each command message, returns the reply message without id (an object
     *        with {@code return} or {@code error}), or {@link #SILENT}
     */
    FakeQmpServer(Path socket, Function<JsonNode, JsonNode> handler) throws IOException {
        this(socket, handler, null);
    }

    /**
     * @param socket where to listen
     * @param handler as above
     * @param greetingLine the raw greeting line to send instead of QEMU 10's, or null
     */
    FakeQmpServer(Path socket, Function<JsonNode, JsonNode> handler, String greetingLine) throws IOException {
        if (greetingLine != null) {
            greeting = greetingLine;
        }
        this.socket = socket;
        this.handler = handler;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::serve, "fake-qmp");
        t.setDaemon(true);
        t.start();
    }

    static JsonNode ok(Object value) {
        ObjectNode reply = JSON.createObjectNode();
        reply.set("return", JSON.valueToTree(value));
        return reply;
    }

    static JsonNode error(String cls, String desc) {
        ObjectNode reply = JSON.createObjectNode();
        reply.putObject("error").put("class", cls).put("desc", desc);
        return reply;
    }

    List<JsonNode> received() {
        return received;
    }

    void awaitClient() throws InterruptedException {
        connected.await();
    }

    /** Sends an event line, as QEMU does between replies. */
    synchronized void event(String name, String dataJson) throws IOException {
        send("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250}, \"event\": \"" + name + "\""
                + (dataJson == null ? "" : ", \"data\": " + dataJson) + "}");
    }

    synchronized void send(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    /** Drops the client connection, as a dying QEMU does. */
    void dropClient() throws IOException {
        SocketChannel c = client;
        if (c != null) {
            c.close();
        }
    }

    private void serve() {
        try {
            SocketChannel c = server.accept();
            client = c;
            send(greeting);
            connected.countDown();
            String line;
            while ((line = readLine(c)) != null) {
                JsonNode command = JSON.readTree(line);
                received.add(command);
                JsonNode reply = command.path("execute").asText().equals("qmp_capabilities") ? ok(JSON.createObjectNode())
                        : handler.apply(command);
                if (reply == SILENT) {
                    continue;
                }
                ObjectNode withId = ((ObjectNode) reply).deepCopy();
                if (command.has("id")) {
                    withId.set("id", command.get("id"));
                }
                synchronized (this) {
                    send(JSON.writeValueAsString(withId));
                }
            }
        } catch (IOException e) {
            // the client went away or the server was closed
        }
    }

    /** Reads up to a newline straight from the channel (a stream adaptor would share one lock with writes). */
    private final ByteBuffer pendingBytes = ByteBuffer.allocate(1 << 20).flip();

    private String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (;;) {
            if (!pendingBytes.hasRemaining()) {
                pendingBytes.clear();
                int n = c.read(pendingBytes);
                pendingBytes.flip();
                if (n < 0) {
                    return null;
                }
            }
            while (pendingBytes.hasRemaining()) {
                byte b = pendingBytes.get();
                if (b == '\n') {
                    return bytes.toString(StandardCharsets.UTF_8);
                }
                bytes.write(b);
            }
        }
    }

    @Override
    public void close() throws IOException {
        dropClient();
        server.close();
        Files.deleteIfExists(socket);
    }
}
