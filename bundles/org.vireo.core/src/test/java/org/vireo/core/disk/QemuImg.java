package org.vireo.core.disk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Runs {@code qemu-img} for the tests that verify images with QEMU's own checker. */
final class QemuImg {
    /**
     * The result of one run.
     *
     * @param exit the exit code
     * @param output standard output and error
     */
    record Result(int exit, String output) {
    }

    private static Boolean available;

    private QemuImg() {
    }

    /** Skips the calling test, saying why, when {@code qemu-img} is not installed. */
    static void assumeInstalled() {
        if (available == null) {
            try {
                available = run("--version").exit() == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        Assumptions.assumeTrue(available, "qemu-img is not installed: install qemu-utils "
                + "(apt-get install -y --no-install-recommends qemu-utils) to verify the qcow2 images");
    }

    static Result run(String... args) throws IOException {
        return tool("qemu-img", args);
    }

    /**
     * @param tool {@code qemu-img} or {@code qemu-io} (both ship in qemu-utils)
     * @param args its arguments
     * @return what it did
     * @throws IOException if it cannot be run
     */
    static Result tool(String tool, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
        }
        try {
            return new Result(process.waitFor(), out.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for qemu-img", e);
        }
    }
}
