package org.vireo.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vireo.api.hypervisor.HypervisorException;

class GuestLocatorTest {
    @TempDir
    Path dir;

    @Test
    void thePropertyWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        assertEquals(Path.of("/p"), new GuestLocator("/p", "/e", "/home/u").directory());
        assertEquals(Path.of("/e"), new GuestLocator(null, "/e", "/home/u").directory());
        assertEquals(Path.of("/e"), new GuestLocator("  ", "/e", "/home/u").directory());
        assertEquals(Path.of("/home/u/.cache/vireo-guest"), new GuestLocator(null, null, "/home/u").directory());
    }

    @Test
    void findsABuiltGuestAndReadsItsManifest() throws Exception {
        Files.writeString(dir.resolve("vmlinux"), "elf");
        Files.writeString(dir.resolve("initramfs.cpio.gz"), "cpio");
        Files.writeString(dir.resolve("manifest"), "# built\nkernel.package=linux-image-6.1.0-56-amd64\nkernel.version=6.1.192-2\n");

        GuestImage guest = new GuestLocator(dir.toString(), null, "/nowhere").locate();

        assertEquals(dir.resolve("vmlinux"), guest.kernel());
        assertEquals(dir.resolve("initramfs.cpio.gz"), guest.initrd());
        assertEquals("linux-image-6.1.0-56-amd64 6.1.192-2", guest.describe());
    }

    @Test
    void aMissingGuestSaysWhereItLookedAndHowToBuildOne() throws Exception {
        Files.writeString(dir.resolve("vmlinux"), "elf");

        HypervisorException e = assertThrows(HypervisorException.class, () -> new GuestLocator(null, dir.toString(), "/x").locate());

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("environment variable VIREO_GUEST_DIR"), e.getMessage());
        assertTrue(e.getMessage().contains("initramfs.cpio.gz is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("guest/build.sh"), e.getMessage());
    }
}
