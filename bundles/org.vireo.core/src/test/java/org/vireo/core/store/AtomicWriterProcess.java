package org.vireo.core.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.vireo.api.model.VmSpec;
import org.vireo.api.model.VmState;

/**
 * Run in a child JVM by {@link AtomicFilesTest}: rewrites {@code DIR/vm.json} forever with
 * large documents, printing the count after each write, until it is killed.
 */
public final class AtomicWriterProcess {
    /** Bytes of trailing whitespace, so that a write takes long enough to be interrupted. */
    static final int PADDING = 1 << 20;

    private AtomicWriterProcess() {
    }

    /**
     * @param args the VM directory
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (long n = 1;; n++) {
            AtomicFiles.write(dir.resolve("vm.json"), content(n));
            System.out.println("written " + n);
            System.out.flush();
        }
    }

    static byte[] content(long n) {
        VmDocument document = new VmDocument(FormatVersion.CURRENT, VmSpec.of("vm1", (int) (n % 256) + 1, 1024), "h1",
                VmState.DEFINED, Instant.EPOCH.toString(), null, null);
        byte[] json = Json.write(document);
        byte[] padded = Arrays.copyOf(json, json.length + PADDING);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return new String(padded, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }
}
