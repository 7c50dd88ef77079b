package org.vireo.hypervisor.qemu.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.hypervisor.qemu.qmp.QmpException.Kind;

class QmpClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FakeQmpServer server;
    private QmpClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Path socket() {
        return dir.resolve("qmp.sock");
    }

    @Test
    void handshakeReadsTheGreetingAndNegotiatesCapabilitiesFirst() throws Exception {
        server = new FakeQmpServer(socket(), c -> FakeQmpServer.ok(Map.of("status", "running", "running", true)));
        client = QmpClient.connect(socket(), "vm1", WAIT, null);

        assertEquals("10.0.2", client.qemuVersion());
        JsonNode status = client.execute("query-status", null, WAIT);

        assertEquals("running", status.path("status").asText());
        List<JsonNode> received = server.received();
        assertEquals("qmp_capabilities", received.get(0).path("execute").asText());
        assertEquals("query-status", received.get(1).path("execute").asText());
        assertTrue(received.get(1).path("id").asText().startsWith("vireo-"));
    }

    @Test
    void argumentsAreSentAsAnObject() throws Exception {
        server = new FakeQmpServer(socket(), c -> FakeQmpServer.ok(c.path("arguments")));
        client = QmpClient.connect(socket(), "vm1", WAIT, null);

        JsonNode echoed = client.execute("balloon", Map.of("value", 268435456L), WAIT);

        assertEquals(268435456L, echoed.path("value").asLong());
    }

    @Test
    void repliesAreMatchedToTheirCommandsWhateverTheirOrder() throws Exception {
        server = new FakeQmpServer(socket(), c -> c.path("execute").asText().equals("slow") ? FakeQmpServer.SILENT
                : FakeQmpServer.ok(Map.of("who", "fast")));
        client = QmpClient.connect(socket(), "vm1", WAIT, null);

        CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> client.execute("slow", null, WAIT));
        while (server.received().stream().noneMatch(c -> c.path("execute").asText().equals("slow"))) {
            Thread.onSpinWait();
        }
        JsonNode fast = client.execute("fast", null, WAIT);
        String slowId = server.received().stream().filter(c -> c.path("execute").asText().equals("slow"))
                .findFirst().orElseThrow().path("id").asText();
        server.send("{\"return\": {\"who\": \"slow\"}, \"id\": \"" + slowId + "\"}");

        assertEquals("fast", fast.path("who").asText());
        assertEquals("slow", slow.get(WAIT.toSeconds(), TimeUnit.SECONDS).path("who").asText());
    }

    @Test
    void eventsInterleavedWithRepliesReachListenersInOrder() throws Exception {
        server = new FakeQmpServer(socket(), c -> {
            if (c.path("execute").asText().equals("stop")) {
                try {
                    server.event("STOP", null);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return FakeQmpServer.ok(Map.of());
        });
        BlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();
        client = QmpClient.connect(socket(), "vm1", WAIT, events::add);

        client.execute("stop", null, WAIT);
        server.event("BALLOON_CHANGE", "{\"actual\": 268435456}");

        QmpEvent stop = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        QmpEvent balloon = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("STOP", stop.name());
        assertEquals(1_700_000_000_000_250L, stop.timestampMicros());
        assertEquals("BALLOON_CHANGE", balloon.name());
        assertEquals(268435456L, balloon.data().path("actual").asLong());
    }

    @Test
    void aListenerMayExecuteCommandsFromTheEventThread() throws Exception {
        server = new FakeQmpServer(socket(), c -> FakeQmpServer.ok(Map.of("status", "paused")));
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        client = QmpClient.connect(socket(), "vm1", WAIT, null);
        client.addListener(e -> seen.add(client.execute("query-status", null, WAIT).path("status").asText()));

        server.event("STOP", null);

        assertEquals("paused", seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void anErrorReplyNamesQmpsErrorClass() throws Exception {
        server = new FakeQmpServer(socket(), c -> FakeQmpServer.error("CommandNotFound",
                "The command query-cpu-model-baseline has not been found"));
        client = QmpClient.connect(socket(), "vm1", WAIT, null);

        QmpException e = assertThrows(QmpException.class, () -> client.execute("query-cpu-model-baseline", null, WAIT));

        assertEquals(Kind.ERROR, e.kind());
        assertEquals("CommandNotFound", e.errorClass());
        assertTrue(e.getMessage().contains("vm1"), e.getMessage());
        assertTrue(e.getMessage().contains("has not been found"), e.getMessage());
    }

    @Test
    void aCommandWithoutReplyTimesOutAndALateReplyIsIgnored() throws Exception {
        server = new FakeQmpServer(socket(), c -> c.path("execute").asText().equals("hang") ? FakeQmpServer.SILENT
                : FakeQmpServer.ok(Map.of("ok", true)));
        client = QmpClient.connect(socket(), "vm1", WAIT, null);

        QmpException e = assertThrows(QmpException.class, () -> client.execute("hang", null, Duration.ofMillis(50)));
        String hangId = server.received().get(1).path("id").asText();
        server.send("{\"return\": {\"late\": true}, \"id\": \"" + hangId + "\"}");

        assertEquals(Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("hang"), e.getMessage());
        assertTrue(client.execute("query-status", null, WAIT).path("ok").asBoolean());
    }

    @Test
    void whenQemuGoesAwayPendingCommandsFailAndListenersHear() throws Exception {
        server = new FakeQmpServer(socket(), c -> FakeQmpServer.SILENT);
        List<String> closedReasons = new CopyOnWriteArrayList<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        client = QmpClient.connect(socket(), "vm1", WAIT, new QmpListener() {
            @Override
            public void event(QmpEvent event) {
            }

            @Override
            public void closed(String reason) {
                closedReasons.add(reason);
                closed.complete(reason);
            }
        });

        CompletableFuture<JsonNode> pending = CompletableFuture.supplyAsync(() -> client.execute("query-status", null, WAIT));
        while (server.received().size() < 2) {
            Thread.onSpinWait();
        }
        server.dropClient();

        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Exception failure = assertThrows(Exception.class, () -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Kind.CLOSED, ((QmpException) failure.getCause()).kind());
        assertFalse(client.isOpen());
        assertEquals(Kind.CLOSED, assertThrows(QmpException.class, () -> client.execute("cont", null, WAIT)).kind());
        assertEquals(1, closedReasons.size());
    }

    @Test
    void aGreetingThatIsNotJsonIsAProtocolError() throws Exception {
        server = new FakeQmpServer(socket(), c -> FakeQmpServer.ok(Map.of()), "hello, I am not QEMU");

        QmpException e = assertThrows(QmpException.class, () -> QmpClient.connect(socket(), "vm1", WAIT, null));

        assertEquals(Kind.PROTOCOL, e.kind());
    }

    @Test
    void aMissingSocketIsAnIoErrorNamingThePath() {
        QmpException e = assertThrows(QmpException.class, () -> QmpClient.connect(socket(), "vm1", WAIT, null));

        assertEquals(Kind.IO, e.kind());
        assertTrue(e.getMessage().contains(socket().toString()), e.getMessage());
    }
}
