package org.vireo.core.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One kind of definition saved as {@code ROOT/NAME/FILE} (hosts, VMs). Loading never deletes
 * nor rewrites a definition it cannot read: it reports it and skips it. Only the remains of
 * operations that never completed (staging directories, temporary files of an interrupted
 * write, directories of a destroy that was cut short) are cleaned up.
 *
 * @param <D> the document record
 */
public final class DocumentStore<D> {
    /** The hidden working directories of unfinished operations: {@code .NAME.PURPOSE-ID}. */
    private static final Pattern WORK_DIR = Pattern.compile("\\.[A-Za-z0-9][A-Za-z0-9._-]*\\.[a-z]+-[0-9a-f]+");
    private static final Logger LOG = Logger.getLogger(DocumentStore.class.getName());

    private final Path root;
    private final String fileName;
    private final Class<D> type;
    private final Function<D, String> name;

    /**
     * @param root the folder holding one directory per definition
     * @param fileName the definition file in each, e.g. {@code vm.json}
     * @param type the document record
     * @param name the name of a document, which must be its directory's name
     */
    public DocumentStore(Path root, String fileName, Class<D> type, Function<D, String> name) {
        this.root = root;
        this.fileName = fileName;
        this.type = type;
        this.name = name;
    }

    /**
     * What a load found.
     *
     * @param documents readable definitions, by name
     * @param problems one line per skipped directory: path and reason
     * @param <D> the document type
     */
    public record Loaded<D>(List<D> documents, List<String> problems) {
        /** Copies the lists. */
        public Loaded {
            documents = List.copyOf(documents);
            problems = List.copyOf(problems);
        }
    }

    /** @return the folder holding the definitions */
    public Path root() {
        return root;
    }

    /**
     * @param definition a name
     * @return the directory of that definition
     */
    public Path directory(String definition) {
        return root.resolve(definition);
    }

    /**
     * @param directory a definition's directory
     * @return its definition file
     */
    public Path file(Path directory) {
        return directory.resolve(fileName);
    }

    /**
     * Reads every definition.
     *
     * @return the readable ones and the problems
     * @throws IOException if the folder itself cannot be listed
     */
    public Loaded<D> load() throws IOException {
        List<D> documents = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            entries.forEach(directories::add);
        }
        directories.sort(null);
        for (Path dir : directories) {
            String dirName = dir.getFileName().toString();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            if (WORK_DIR.matcher(dirName).matches()) {
                LOG.info(() -> "removing " + dir + ", left by an operation that did not complete");
                deleteTree(dir);
                continue;
            }
            if (dirName.startsWith(".")) {
                continue;
            }
            removeLeftovers(dir);
            Path file = file(dir);
            try {
                D document = read(file);
                String documentName = name.apply(document);
                if (!documentName.equals(dirName)) {
                    throw new UnreadableDocumentException("it defines '" + documentName + "' but lives in directory '" + dirName
                            + "' (the names must match)");
                }
                documents.add(document);
            } catch (UnreadableDocumentException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return new Loaded<>(documents, problems);
    }

    /**
     * @param file a definition file
     * @return its document
     * @throws UnreadableDocumentException if it is missing or cannot be used
     */
    public D read(Path file) throws UnreadableDocumentException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnreadableDocumentException("the file is missing");
        } catch (IOException e) {
            throw new UnreadableDocumentException("it cannot be read: " + e);
        }
        return Json.read(bytes, type);
    }

    /**
     * Saves a document atomically in {@code directory}, which must exist.
     *
     * @param directory the definition's directory (or a staging directory)
     * @param document the document
     * @throws IOException if it cannot be written; the previous file is then unchanged
     */
    public void write(Path directory, D document) throws IOException {
        AtomicFiles.write(file(directory), Json.write(document));
    }

    /**
     * @param definition a name
     * @param purpose what the directory is for, lower-case letters, e.g. {@code creating}
     * @return a new hidden working directory beside the definitions, removed at the next
     *         load if the operation never completes
     * @throws IOException if it cannot be created
     */
    public Path workDirectory(String definition, String purpose) throws IOException {
        while (true) {
            try {
                return Files.createDirectory(workName(definition, purpose));
            } catch (FileAlreadyExistsException e) {
                // taken by a concurrent operation: draw another id
            }
        }
    }

    private Path workName(String definition, String purpose) {
        long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        return root.resolve("." + definition + "." + purpose + "-" + Long.toHexString(id));
    }

    /**
     * Deletes a definition's directory: renames it out of the way in one atomic step, then
     * deletes it, so a crash half-way leaves no half-deleted definition behind.
     *
     * @param definition a name
     * @throws IOException if it cannot be renamed or deleted
     */
    public void delete(String definition) throws IOException {
        Path tomb = workName(definition, "deleted");
        Files.move(directory(definition), tomb, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(root);
        deleteTree(tomb);
    }

    /**
     * Moves a fully prepared working directory into place as {@code definition}'s directory.
     *
     * @param work the working directory
     * @param definition the name
     * @throws FileAlreadyExistsException if the target exists
     * @throws IOException if it cannot be moved
     */
    public void commit(Path work, String definition) throws IOException {
        Path target = directory(definition);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        AtomicFiles.syncDirectory(work);
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(root);
    }

    private void removeLeftovers(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> AtomicFiles.isLeftover(p, fileName))) {
            for (Path leftover : entries) {
                LOG.info(() -> "removing " + leftover + ", left by a write that did not complete");
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot clean " + dir + ": " + e);
        }
    }

    /**
     * Deletes a directory tree; symbolic links are removed, never followed.
     *
     * @param dir the tree
     */
    public static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + dir + ": " + e);
        }
    }
}
