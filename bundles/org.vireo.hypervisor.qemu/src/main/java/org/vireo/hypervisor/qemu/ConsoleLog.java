package org.vireo.hypervisor.qemu;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a guest's {@code console.log} for people: its last lines, and with {@link #follow} what
 * the guest prints from then on, until the thread is interrupted (Ctrl-C in the shell).
 */
final class ConsoleLog {
    /** How often a followed log is polled. */
    static final long POLL_MILLIS = 200;

    /** Waits between polls; replaced in tests so that no test depends on the clock. */
    @FunctionalInterface
    interface Sleeper {
        /**
         * @param millis how long
         * @throws InterruptedException when the thread is interrupted
         */
        void sleep(long millis) throws InterruptedException;
    }

    private final Path file;

    /** @param file the console log */
    ConsoleLog(Path file) {
        this.file = file;
    }

    /**
     * The last lines of the log.
     *
     * @param text the lines, each ending with a newline
     * @param end the offset just after the last complete line, where {@link #follow} goes on
     */
    record Tail(String text, long end) {
    }

    /**
     * @param lines how many complete lines from the end; 0 for all
     * @return those lines and where they end
     * @throws IOException if the file cannot be read
     */
    Tail tail(int lines) throws IOException {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            bytes = new byte[(int) Math.min(f.length(), Integer.MAX_VALUE - 16)];
            f.readFully(bytes);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--; // a line still being written is shown by follow, whole
        }
        if (end == 0) {
            return new Tail("", 0);
        }
        String[] all = new String(bytes, 0, end - 1, StandardCharsets.UTF_8).split("\n", -1);
        int from = lines > 0 ? Math.max(0, all.length - lines) : 0;
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < all.length; i++) {
            sb.append(all[i]).append('\n');
        }
        return new Tail(sb.toString(), end);
    }

    /**
     * Writes what is appended to the log from {@code offset} on, until interrupted or the output
     * fails. A log that shrinks was replaced by a new run of the VM: it is followed from its start.
     *
     * @param offset where to start, in bytes (e.g. the size when the tail was shown)
     * @param out where to write
     * @param sleeper waits between polls
     * @return the offset reached
     */
    long follow(long offset, PrintStream out, Sleeper sleeper) {
        long position = offset;
        byte[] buffer = new byte[64 * 1024];
        while (!Thread.currentThread().isInterrupted()) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long length = f.length();
                if (length < position) {
                    out.println("--- the VM was started again: new console ---");
                    position = 0;
                }
                f.seek(position);
                int n;
                while (position < length && (n = f.read(buffer, 0, (int) Math.min(buffer.length, length - position))) > 0) {
                    out.write(buffer, 0, n);
                    position += n;
                }
            } catch (IOException e) {
                // the VM directory is being rewritten: try again at the next poll
            }
            out.flush();
            if (out.checkError()) {
                return position;
            }
            try {
                sleeper.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return position;
            }
        }
        return position;
    }
}
