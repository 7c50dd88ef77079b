package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Follows a guest's {@code console.log} as QEMU writes it: reads only what is new at each
 * {@link #poll()}, and remembers whether the banner was printed, the latest heartbeat and the
 * last line (for crash reports).
 */
final class ConsoleWatcher {
    private static final int MAX_READ = 1 << 20;
    private static final int MAX_LINE = 4096;

    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private boolean bannerSeen;
    private String bannerLine = "";
    private Heartbeat heartbeat;
    private String lastLine = "";

    /** @param file the console log */
    ConsoleWatcher(Path file) {
        this.file = file;
    }

    /** Reads what was appended since the last call. */
    synchronized void poll() {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length < offset) { // replaced by a new run
                offset = 0;
                partial.setLength(0);
            }
            while (offset < length) {
                int n = (int) Math.min(MAX_READ, length - offset);
                byte[] buffer = new byte[n];
                f.seek(offset);
                f.readFully(buffer);
                offset += n;
                feed(new String(buffer, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // not created yet, or removed: nothing new
        }
    }

    private void feed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line(partial.toString());
                partial.setLength(0);
            } else if (c != '\r' && partial.length() < MAX_LINE) {
                partial.append(c);
            }
        }
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        lastLine = line;
        if (!bannerSeen && line.contains(GuestImage.BANNER)) {
            bannerSeen = true;
            bannerLine = line.substring(line.indexOf(GuestImage.BANNER));
        }
        Heartbeat.parse(line).ifPresent(h -> heartbeat = h);
    }

    /** @return whether the guest printed its banner */
    synchronized boolean bannerSeen() {
        return bannerSeen;
    }

    /** @return the banner line, or empty */
    synchronized String bannerLine() {
        return bannerLine;
    }

    /** @return the latest heartbeat */
    synchronized Optional<Heartbeat> heartbeat() {
        return Optional.ofNullable(heartbeat);
    }

    /** @return the last non-blank line */
    synchronized String lastLine() {
        return partial.length() > 0 ? partial.toString() : lastLine;
    }
}
