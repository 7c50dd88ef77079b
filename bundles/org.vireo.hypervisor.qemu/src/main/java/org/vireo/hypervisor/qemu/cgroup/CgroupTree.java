package org.vireo.hypervisor.qemu.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vireo.api.hypervisor.HypervisorException;
import org.vireo.api.model.Check;

/**
 * The machine's cgroup hierarchies as the QEMU hypervisor uses them.
 * <p>
 * <b>Which version.</b> {@link #detect} reads {@code /proc/self/mountinfo}: a cgroup v1
 * hierarchy carrying the {@code cpu} controller means v1 (the {@code cpu}, {@code cpuacct} and
 * {@code memory} controllers may be mounted together or apart); otherwise a {@code cgroup2}
 * mount whose {@code cgroup.controllers} lists {@code cpu} means v2. A machine that mounts
 * both (the "hybrid" layout, with an empty v2 hierarchy) is driven through v1.
 * <p>
 * <b>Where.</b> Per controller, the groups live in {@code PARENT/HOST/VM}, where {@code PARENT}
 * is a group named for the runtime ({@link #groupFor}, e.g. {@code vireo-1a2b3c4d}) below the
 * cgroup the runtime itself runs in ({@code /proc/self/cgroup}), so whatever limits that cgroup
 * has still hold for the guests, and two runtimes started from one cgroup (one shell, one
 * service) with hosts and VMs of the same names never share a group; or, when configured, a
 * given path from the hierarchy's root. On v2, the {@code cpu} and {@code memory} controllers are
 * enabled in {@code cgroup.subtree_control} of every level from the runtime's cgroup (or the
 * root) down to the host's group. v2 forbids that in a non-root cgroup that holds processes:
 * then the runtime needs a configured parent.
 * <p>
 * Every path is resolved under {@code root} (normally {@code /}), so tests run on a fake tree.
 */
public final class CgroupTree {
    /** The cgroup version in use. */
    public enum Version {
        /** Legacy hierarchies, one per controller or group of controllers. */
        V1,
        /** The unified hierarchy. */
        V2
    }

    /** The start of the name of the group under the runtime's own cgroup that holds every host's groups. */
    public static final String TOP = "vireo";

    /** The v1 controllers used: bandwidth and shares, accounting, memory limit. */
    static final List<String> V1_CONTROLLERS = List.of("cpu", "cpuacct", "memory");
    /** The key under which the single v2 hierarchy is kept in {@link #bases}. */
    static final String UNIFIED = "unified";

    private static final Pattern OCTAL = Pattern.compile("\\\\([0-7]{3})");

    private final Version version;
    private final Path root;
    /** Per controller (v1) or {@link #UNIFIED} (v2): the mount point. */
    private final Map<String, Path> mounts;
    /** Per controller (v1) or {@link #UNIFIED} (v2): the directory that holds the hosts' groups. */
    private final Map<String, Path> bases;
    /** v2 only: the first directory whose subtree_control this tree writes. */
    private final Path delegationStart;
    /** The name of the runtime's group below its own cgroup, or null when the parent is configured (never removed). */
    private final String top;

    private CgroupTree(Version version, Path root, Map<String, Path> mounts, Map<String, Path> bases, Path delegationStart,
            String top) {
        this.version = version;
        this.root = root;
        this.mounts = Map.copyOf(mounts);
        this.bases = bases;
        this.delegationStart = delegationStart;
        this.top = top;
    }

    /**
     * The name of the group that holds one runtime's hosts below the runtime's own cgroup:
     * {@value #TOP}, a dash and 8 hex digits of the SHA-256 of the folder's absolute path. The
     * same folder gives the same name at every start, so a restarted runtime finds the groups of
     * the QEMU processes it re-attaches; another folder gives another group.
     *
     * @param folder what identifies the runtime: the folder of its index of QEMU processes
     * @return the group's name
     */
    public static String groupFor(Path folder) {
        String path = folder.toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return TOP + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Finds the cgroup hierarchies of the machine, for groups below {@value #TOP}.
     *
     * @param root where {@code /proc} and the mount points are, normally {@code /}
     * @param parent as for {@link #detect(Path, String, String)}
     * @return the tree
     */
    public static CgroupTree detect(Path root, String parent) {
        return detect(root, parent, TOP);
    }

    /**
     * Finds the cgroup hierarchies of the machine.
     *
     * @param root where {@code /proc} and the mount points are, normally {@code /}
     * @param parent the cgroup (a path from the hierarchy's root, e.g. {@code /machine/vireo}) under
     *        which the hosts' groups go, or empty for {@code group} below the runtime's own cgroup
     * @param group the name of the runtime's group below its own cgroup ({@link #groupFor})
     * @return the tree
     * @throws HypervisorException when no hierarchy carries the {@code cpu} controller, naming what was found
     */
    public static CgroupTree detect(Path root, String parent, String group) {
        Check.name("group", group);
        String configured = parent == null ? "" : parent.trim();
        if (!configured.isEmpty() && !configured.startsWith("/")) {
            throw new org.vireo.api.model.InvalidSpecException("cgroupParent", parent,
                    "empty, or a cgroup path from the hierarchy's root such as /machine/vireo");
        }
        List<String> mountinfo = lines(root.resolve("proc/self/mountinfo"));
        List<String> self = lines(root.resolve("proc/self/cgroup"));
        Map<String, String[]> v1 = new LinkedHashMap<>(); // controller -> {mount root, mount point}
        String[] v2 = null;
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 1) {
                continue;
            }
            String mountRoot = unescape(left[3]);
            String mountPoint = unescape(left[4]);
            if (right[0].equals("cgroup") && right.length >= 3) {
                Set<String> options = new HashSet<>(Arrays.asList(right[2].split(",")));
                for (String c : V1_CONTROLLERS) {
                    if (options.contains(c)) {
                        v1.putIfAbsent(c, new String[] {mountRoot, mountPoint});
                    }
                }
            } else if (right[0].equals("cgroup2") && v2 == null) {
                v2 = new String[] {mountRoot, mountPoint};
            }
        }
        if (v1.containsKey("cpu") && v1.containsKey("cpuacct")) {
            Map<String, Path> mounts = new LinkedHashMap<>();
            Map<String, Path> bases = new LinkedHashMap<>();
            for (Map.Entry<String, String[]> e : v1.entrySet()) {
                Path mount = under(root, e.getValue()[1]);
                mounts.put(e.getKey(), mount);
                String own = ownPath(self, e.getKey(), false);
                bases.put(e.getKey(), base(mount, e.getValue()[0], own, configured, group));
            }
            return new CgroupTree(Version.V1, root, mounts, bases, null, configured.isEmpty() ? group : null);
        }
        if (v2 != null) {
            Path mount = under(root, v2[1]);
            Set<String> available = words(mount.resolve("cgroup.controllers"));
            if (available.contains("cpu")) {
                String own = ownPath(self, "", true);
                Path base = base(mount, v2[0], own, configured, group);
                Path start = configured.isEmpty() ? base.getParent() : mount;
                return new CgroupTree(Version.V2, root, Map.of(UNIFIED, mount), new LinkedHashMap<>(Map.of(UNIFIED, base)), start,
                        configured.isEmpty() ? group : null);
            }
        }
        throw new HypervisorException("no cgroup hierarchy with the cpu controller is mounted (" + root.resolve("proc/self/mountinfo")
                + ": v1 controllers " + v1.keySet() + (v2 == null ? ", no cgroup2" : ", cgroup2 at " + v2[1] + " without cpu") + ")");
    }

    /** @return the version in use */
    public Version version() {
        return version;
    }

    /** @return whether a memory controller is available */
    public boolean hasMemory() {
        return version == Version.V1 ? bases.containsKey("memory") : words(mounts.get(UNIFIED).resolve("cgroup.controllers")).contains("memory");
    }

    /**
     * @param host a host's name
     * @return the directory of the host's group in the {@code cpu} hierarchy, for people
     */
    public Path hostDirectory(String host) {
        return cpuBase().resolve(host);
    }

    /** @return for people: the version and where the groups go */
    public String describe() {
        return "cgroup " + (version == Version.V1 ? "v1" : "v2") + " under " + cpuBase();
    }

    /**
     * Creates the host's group in every hierarchy (and, on v2, delegates the controllers down to
     * it). Creating it again is harmless.
     *
     * @param host the host's name
     * @throws HypervisorException naming the directory and the reason, e.g. a read-only cgroup file system
     */
    public void prepareHost(String host) {
        Check.name("host", host);
        for (Path base : distinct(bases.values())) {
            mkdirs(base.resolve(host));
        }
        if (version == Version.V2) {
            // every level from the first delegating one down to the host's group, which delegates to its VMs
            Path dir = delegationStart;
            delegate(dir);
            for (Path name : delegationStart.relativize(bases.get(UNIFIED).resolve(host))) {
                dir = dir.resolve(name.toString());
                delegate(dir);
            }
        }
    }

    /**
     * Creates (or finds) a VM's group.
     *
     * @param host the host's name ({@link #prepareHost} done)
     * @param vm the VM's name
     * @return the group
     * @throws HypervisorException naming the directory that could not be created
     */
    public VmCgroup vm(String host, String vm) {
        Check.name("host", host);
        Check.name("vm", vm);
        Map<String, Path> dirs = new LinkedHashMap<>();
        if (version == Version.V1) {
            for (Map.Entry<String, Path> e : bases.entrySet()) {
                dirs.put(e.getKey(), e.getValue().resolve(host).resolve(vm));
            }
        } else {
            Path dir = bases.get(UNIFIED).resolve(host).resolve(vm);
            dirs.put("cpu", dir);
            dirs.put("cpuacct", dir);
            if (hasMemory()) {
                dirs.put("memory", dir);
            }
        }
        for (Path dir : distinct(dirs.values())) {
            mkdirs(dir);
        }
        return new VmCgroup(this, host, vm, dirs);
    }

    /**
     * Removes a VM's group where it exists and holds no process (one left by a runtime that
     * died, for a VM whose QEMU is gone too). Best effort.
     *
     * @param host the host's name
     * @param vm the VM's name
     */
    public void removeVm(String host, String vm) {
        for (Path base : distinct(bases.values())) {
            removeIfLeaf(base.resolve(host).resolve(vm));
        }
    }

    /**
     * Removes the host's group, and the runtime's group when it has become empty (never a
     * configured parent), where they hold no other group. Best effort: what cannot be removed stays.
     *
     * @param host the host's name
     */
    public void removeHost(String host) {
        for (Path base : distinct(bases.values())) {
            if (removeIfLeaf(base.resolve(host)) && top != null && base.getFileName().toString().equals(top)) {
                removeIfLeaf(base);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Used by VmCgroup

    /** @return the mount point of a controller's hierarchy */
    Path mount(String controller) {
        return version == Version.V1 ? mounts.get(controller) : mounts.get(UNIFIED);
    }

    /**
     * @param pid a process
     * @return its cgroup paths by controller ({@code cpu}, {@code cpuacct}, {@code memory}), from
     *         {@code /proc/PID/cgroup}; empty when it is gone
     */
    Map<String, String> cgroupsOf(long pid) {
        List<String> self = linesOrEmpty(root.resolve("proc/" + pid + "/cgroup"));
        Map<String, String> paths = new LinkedHashMap<>();
        for (String c : V1_CONTROLLERS) {
            String p = find(self, c, version == Version.V2);
            if (p != null) {
                paths.put(c, p);
            }
        }
        return paths;
    }

    /**
     * Removes a group directory that holds no other group. On the cgroup file system a plain
     * {@code rmdir} does it (the kernel's files go with it; a group with tasks is busy and stays);
     * a directory of another file system is emptied of its files first.
     *
     * @return whether it is gone
     */
    static boolean removeIfLeaf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return !Files.exists(dir);
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            if (children.iterator().hasNext()) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                Files.delete(dir);
                return true;
            } catch (NoSuchFileException e) {
                return true;
            } catch (DirectoryNotEmptyException e) {
                emptyPlainDirectory(dir);
            } catch (FileSystemException e) {
                sleep(50); // busy: the last task of the group is still leaving
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // Helpers

    private Path cpuBase() {
        return version == Version.V1 ? bases.get("cpu") : bases.get(UNIFIED);
    }

    private static Path base(Path mount, String mountRoot, String own, String configured, String group) {
        String path = configured.isEmpty() ? relative(own, mountRoot) + "/" + group : relative(configured, mountRoot);
        Path base = mount;
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                base = base.resolve(part);
            }
        }
        return base;
    }

    /** A cgroup path as seen from a mount whose root is {@code mountRoot}. */
    private static String relative(String path, String mountRoot) {
        if (mountRoot.equals("/") || mountRoot.isEmpty()) {
            return path;
        }
        if (path.equals(mountRoot)) {
            return "/";
        }
        return path.startsWith(mountRoot + "/") ? path.substring(mountRoot.length()) : path;
    }

    private static String ownPath(List<String> self, String controller, boolean unified) {
        String p = find(self, controller, unified);
        return p == null ? "/" : p;
    }

    private static String find(List<String> cgroupFile, String controller, boolean unified) {
        for (String line : cgroupFile) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (unified ? f[0].equals("0") && f[1].isEmpty() : Arrays.asList(f[1].split(",")).contains(controller)) {
                return f[2].trim();
            }
        }
        return null;
    }

    private void delegate(Path dir) {
        Set<String> available = words(dir.resolve("cgroup.controllers"));
        if (!available.contains("cpu")) {
            throw new HypervisorException("cgroup v2: the cpu controller is not available in " + dir
                    + " (cgroup.controllers: " + available + "); delegate it to this cgroup or set cgroupParent");
        }
        Set<String> enabled = words(dir.resolve("cgroup.subtree_control"));
        StringBuilder wanted = new StringBuilder();
        for (String c : List.of("cpu", "memory")) {
            if (available.contains(c) && !enabled.contains(c)) {
                wanted.append(wanted.length() == 0 ? "" : " ").append('+').append(c);
            }
        }
        if (wanted.length() > 0) {
            try {
                VmCgroup.write(dir.resolve("cgroup.subtree_control"), wanted.toString());
            } catch (HypervisorException e) {
                throw new HypervisorException("cgroup v2: cannot enable " + wanted + " for the groups below " + dir
                        + " (" + e.getMessage() + "); a cgroup that holds processes cannot delegate controllers:"
                        + " set cgroupParent to a cgroup without processes", e);
            }
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HypervisorException("cannot create the cgroup " + dir + ": " + e, e);
        }
    }

    private static void emptyPlainDirectory(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // the next attempt reports nothing either: the directory stays
        }
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    private static String unescape(String field) {
        Matcher m = OCTAL.matcher(field);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static List<Path> distinct(java.util.Collection<Path> paths) {
        return new ArrayList<>(new LinkedHashSet<>(paths));
    }

    private static Set<String> words(Path file) {
        List<String> text = linesOrEmpty(file);
        Set<String> words = new LinkedHashSet<>();
        for (String line : text) {
            for (String w : line.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new HypervisorException("cannot read " + file + " to find the cgroup hierarchies: " + e, e);
        }
    }

    static List<String> linesOrEmpty(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
