package dev.tuneup.data;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * Every entry of a folder tree, in path order, following symbolic links (a linked class folder is read
 * like any other). An entry that is not a readable regular file (a pipe, a device, a broken link, a
 * link loop) carries the reason, so it is reported and never opened.
 */
final class FolderEntries {
    /** One entry; {@code problem} is null for a regular file. */
    record Entry(Path path, String problem) {
    }

    private FolderEntries() {
    }

    static List<Entry> list(Path root) {
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    entries.add(new Entry(file, attrs.isRegularFile() ? null : attrs.isSymbolicLink()
                            ? "is a symbolic link to nothing" : "is not a regular file (a pipe, socket or device)"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    entries.add(new Entry(file, e instanceof FileSystemLoopException
                            ? "is a symbolic link loop (it leads back to a folder above it)" : "cannot be read: " + e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw FileBytes.io(root.toString(), e);
        }
        entries.sort(Comparator.comparing(Entry::path));
        return entries;
    }
}
