package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

class ImageFolderFormatTest {
    @TempDir
    Path dir;

    private static final LoadOptions OPTS = LoadOptions.defaults().withThreads(2);

    /** root/{train,test}/{Zebra,apple,Äpfel}/n.png; each image 4x4 with a class-specific colour. */
    private Path splitLayout() throws IOException {
        Path root = dir.resolve("root");
        String[] classes = {"apple", "Zebra", "Äpfel"};
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < classes.length; c++) {
                int n = split.equals("train") ? 3 : 1;
                for (int i = 0; i < n; i++) {
                    Fixtures.write(root, split + "/" + classes[c] + "/" + i + ".png",
                            Fixtures.png(Fixtures.rgb(4, 4, 10 * c, i, 0)));
                }
            }
        }
        Files.writeString(root.resolve("README.txt"), "not data");
        return root;
    }

    @Test
    void readsSplitsWithClassesSortedByCodePoint() throws IOException {
        Dataset d = ImageFolderFormat.read(splitLayout(), OPTS);
        assertEquals(List.of("Zebra", "apple", "Äpfel"), d.classes());
        assertEquals(List.of("train", "test"), List.copyOf(d.splits().keySet()));
        ImageSet train = d.split("train");
        assertEquals(9, train.size());
        assertArrayEquals(new int[] {3, 3, 3}, train.classCounts());
        assertEquals(4, train.height());
        // Order is (class id, path): the first image is Zebra/0.png, colour (10, 0, 0).
        assertEquals(10, train.image(0).get(0, 0, 0));
        assertTrue(train.source(0).endsWith("train/Zebra/0.png"), train.source(0));
        assertEquals(List.of(), d.skipped());
    }

    @Test
    void codePointOrderDiffersFromUtf16OrderForSupplementaryCharacters() {
        // U+FF21 (fullwidth A) is one UTF-16 unit above the surrogates; U+1F600 is two units starting 0xD83D.
        String fullwidth = "\uFF21";
        String emoji = new String(Character.toChars(0x1F600));
        assertTrue(fullwidth.compareTo(emoji) > 0, "UTF-16 order puts the emoji first");
        assertTrue(DecodePool.CODE_POINT.compare(fullwidth, emoji) < 0, "code-point order puts it last");
    }

    @Test
    void tarAndTarGzGiveTheSameDataAsTheFolder() throws IOException {
        Path root = splitLayout();
        Dataset folder = ImageFolderFormat.read(root, OPTS);
        for (boolean gz : new boolean[] {false, true}) {
            Path archive = dir.resolve(gz ? "data.tar.gz" : "data.tar");
            tar(root, archive, gz, "top/");
            Dataset packed = ImageFolderFormat.read(archive, OPTS);
            assertEquals(folder.classes(), packed.classes());
            for (String split : folder.splits().keySet()) {
                assertEquals(folder.split(split).contentHash(), packed.split(split).contentHash(), split);
            }
        }
    }

    @Test
    void flatLayoutIsSplitAll() throws IOException {
        Path root = dir.resolve("flat");
        Fixtures.write(root, "b/1.jpg", Fixtures.encode(Fixtures.rgb(6, 6, 0, 0, 0), "jpeg"));
        Fixtures.write(root, "a/1.bmp", Fixtures.encode(Fixtures.rgb(6, 6, 0, 0, 0), "bmp"));
        Dataset d = ImageFolderFormat.read(root, OPTS);
        assertEquals(List.of("all"), List.copyOf(d.splits().keySet()));
        assertEquals(List.of("a", "b"), d.classes());
    }

    @Tag("reliability")
    @Test
    void imagesOfOtherModesAreConvertedAndOtherSizesResizedOnRequest() throws IOException {
        Path root = dir.resolve("mixed");
        Fixtures.write(root, "a/0.png", Fixtures.png(Fixtures.rgb(12, 16, 0, 0, 0)));
        java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(16, 12, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        Fixtures.write(root, "a/1.png", Fixtures.png(gray));
        ImageSet s = ImageFolderFormat.read(root, OPTS).split("all");
        assertEquals(12, s.height());
        assertEquals(16, s.width());
        assertEquals(3, s.channels());
        Fixtures.write(root, "a/2.png", Fixtures.png(Fixtures.rgb(8, 8, 0, 0, 0)));
        ImageSet sized = ImageFolderFormat.read(root, OPTS.withSize(5, 7).withChannels(1)).split("all");
        assertEquals(5 * 7, sized.imageBytes());
    }

    @Tag("reliability")
    @Test
    void mixedSizesAreAnErrorNotDecidedByTheFirstFile() throws IOException {
        Path root = dir.resolve("mixed");
        Fixtures.write(root, "a/0.png", Fixtures.png(Fixtures.rgb(1, 1, 0, 0, 0)));
        for (int i = 1; i <= 3; i++) {
            Fixtures.write(root, "b/" + i + ".png", Fixtures.png(Fixtures.rgb(32, 32, 0, 0, 0)));
        }
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderFormat.read(root, OPTS.withBadFiles(BadFilePolicy.SKIP)));
        assertEquals(DataException.Problem.SIZE_MISMATCH, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("32x32 (3 files, e.g. ") && e.getMessage().contains("b/1.png"), e.getMessage());
        assertTrue(e.getMessage().contains("1x1 (1 file, e.g. ") && e.getMessage().contains("a/0.png"), e.getMessage());
        assertTrue(e.fix().contains("--size"), e.fix());
    }

    /** The malformed files the issue lists, all in one folder. */
    private Path badLayout() throws IOException {
        Path root = dir.resolve("bad");
        Fixtures.write(root, "a/good.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Fixtures.write(root, "a/empty.png", new byte[0]);
        Fixtures.write(root, "a/text.jpg", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] jpg = Fixtures.encode(ImageDecoderTest.noise(32, 32), "jpeg");
        Fixtures.write(root, "b/truncated.jpg", Arrays.copyOf(jpg, jpg.length / 2));
        Fixtures.write(root, "b/good.png", Fixtures.png(Fixtures.rgb(4, 4, 1, 1, 1)));
        Fixtures.write(root, "b/notes.txt", "x".getBytes(StandardCharsets.UTF_8));
        return root;
    }

    @Test
    void failPolicyNamesEveryBadFile() throws IOException {
        BadFilesException e = assertThrows(BadFilesException.class, () -> ImageFolderFormat.read(badLayout(), OPTS));
        assertEquals(4, e.errors().size(), e.getMessage());
        for (String name : List.of("empty.png", "text.jpg", "truncated.jpg", "notes.txt")) {
            assertTrue(e.getMessage().contains(name), name + " missing from: " + e.getMessage());
        }
        assertTrue(e.fix().contains("skip"));
    }

    @Test
    void skipPolicyReportsEachSkippedFile() throws IOException {
        Dataset d = ImageFolderFormat.read(badLayout(), OPTS.withBadFiles(BadFilePolicy.SKIP));
        assertEquals(2, d.split("all").size());
        assertEquals(4, d.skipped().size());
        SkippedFile empty = d.skipped().stream().filter(s -> s.source().endsWith("empty.png")).findFirst().orElseThrow();
        assertTrue(empty.reason().contains("empty"), empty.reason());
    }

    @Test
    void bombIsRefusedWithinTheHeap() throws IOException {
        Path root = dir.resolve("bomb");
        byte[] png = Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0));
        Fixtures.write(root, "a/ok.png", png);
        byte[] bomb = png.clone();
        bomb[16] = 0; // width 0x00004E20 = 20000
        bomb[17] = 0;
        bomb[18] = 0x4E;
        bomb[19] = 0x20;
        bomb[20] = 0;
        bomb[21] = 0;
        bomb[22] = 0x4E;
        bomb[23] = 0x20;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bomb, 12, 17);
        int v = (int) crc.getValue();
        bomb[29] = (byte) (v >>> 24);
        bomb[30] = (byte) (v >>> 16);
        bomb[31] = (byte) (v >>> 8);
        bomb[32] = (byte) v;
        Fixtures.write(root, "a/bomb.png", bomb);
        Dataset d = ImageFolderFormat.read(root, OPTS.withBadFiles(BadFilePolicy.SKIP));
        assertEquals(1, d.split("all").size());
        assertTrue(d.skipped().get(0).reason().contains("20000x20000"));
    }

    @Tag("reliability")
    @Test
    void hugeFileIsRefusedBeforeItIsRead() throws IOException {
        Path root = dir.resolve("huge");
        Fixtures.write(root, "a/ok.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(root.resolve("a/huge.png").toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GB that take no disk
        }
        BadFilesException e = assertThrows(BadFilesException.class, () -> ImageFolderFormat.read(root, OPTS));
        assertEquals(DataException.Problem.FILE_TOO_LARGE, e.errors().get(0).problem());
        assertTrue(e.getMessage().contains("huge.png") && e.getMessage().contains("3221225472 bytes"), e.getMessage());
        assertTrue(e.errors().get(0).fix().contains("--max-file-bytes"), e.errors().get(0).fix());
        Dataset d = ImageFolderFormat.read(root, OPTS.withBadFiles(BadFilePolicy.SKIP));
        assertEquals(1, d.split("all").size());
        assertEquals(1, d.skipped().size());
        BadFilesException capped = assertThrows(BadFilesException.class,
                () -> ImageFolderFormat.read(root, OPTS.withMaxFileBytes(10)));
        assertEquals(2, capped.errors().size(), capped.getMessage());
    }

    @Test
    void pinnedClassesKeepIdsAndRejectUnknownFolders() throws IOException {
        Path root = dir.resolve("pinned");
        Fixtures.write(root, "cat/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Fixtures.write(root, "dog/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Dataset d = ImageFolderFormat.read(root, OPTS.withClasses(List.of("dog", "cat")));
        assertEquals(List.of("dog", "cat"), d.classes());
        assertArrayEquals(new int[] {0, 1}, d.split("all").labels());
        Fixtures.write(root, "bird/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderFormat.read(root, OPTS.withClasses(List.of("dog", "cat"))));
        assertEquals(DataException.Problem.UNKNOWN_CLASS, e.problem());
        assertTrue(e.getMessage().contains("'bird'"));
    }

    @Tag("reliability")
    @Test
    void symlinkedClassFolderIsFollowed() throws IOException {
        Path root = dir.resolve("linked");
        Fixtures.write(root, "cat/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Path dogs = Fixtures.write(dir, "elsewhere/dogs/0.png", Fixtures.png(Fixtures.rgb(4, 4, 1, 0, 0))).getParent();
        Files.createSymbolicLink(root.resolve("dog"), dogs);
        Dataset d = ImageFolderFormat.read(root, OPTS);
        assertEquals(List.of("cat", "dog"), d.classes());
        assertArrayEquals(new int[] {1, 1}, d.split("all").classCounts());
    }

    @Tag("reliability")
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void entriesThatAreNotFilesAreReportedNotDropped() throws Exception {
        Path root = dir.resolve("odd");
        Fixtures.write(root, "cat/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Files.createSymbolicLink(root.resolve("cat/broken.png"), dir.resolve("nowhere.png"));
        Files.createSymbolicLink(root.resolve("cat/loop"), root);
        Files.createSymbolicLink(root.resolve("cat/zero.png"), Path.of("/dev/zero"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("cat/pipe.png").toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        Dataset d = ImageFolderFormat.read(root, OPTS.withBadFiles(BadFilePolicy.SKIP));
        assertEquals(1, d.split("all").size());
        List<String> skipped = d.skipped().stream().map(SkippedFile::toString).sorted().toList();
        assertEquals(4, skipped.size(), skipped.toString());
        for (String name : List.of("broken.png", "loop", "pipe.png", "zero.png")) {
            assertTrue(skipped.stream().anyMatch(x -> x.contains("cat/" + name + ":")), name + " not in " + skipped);
        }
        BadFilesException e = assertThrows(BadFilesException.class, () -> ImageFolderFormat.read(root, OPTS));
        assertEquals(4, e.errors().size(), e.getMessage());
    }

    @Tag("reliability")
    @Test
    void linksInsideAnArchiveAreReportedNotDropped() throws IOException {
        Path archive = dir.resolve("links.tar");
        byte[] png = Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry file = new TarArchiveEntry("cat/0.png");
            file.setSize(png.length);
            tar.putArchiveEntry(file);
            tar.write(png);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("cat/1.png", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        Dataset d = ImageFolderFormat.read(archive, OPTS.withBadFiles(BadFilePolicy.SKIP));
        assertEquals(1, d.split("all").size());
        assertEquals(1, d.skipped().size(), d.skipped().toString());
        assertTrue(d.skipped().get(0).source().endsWith("!cat/1.png"), d.skipped().toString());
        assertTrue(d.skipped().get(0).reason().contains("link"), d.skipped().toString()); // not "empty file"
    }

    @Tag("reliability")
    @Test
    void classOfThePinnedListWithoutImagesIsAnError() throws IOException {
        Path root = dir.resolve("pinned");
        Fixtures.write(root, "cat/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Fixtures.write(root, "dog/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        DataException e = assertThrows(DataException.class,
                () -> ImageFolderFormat.read(root, OPTS.withClasses(List.of("cat", "dog", "bird"))));
        assertEquals(DataException.Problem.NOT_FOUND, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("'bird'"), e.getMessage());
    }

    @Test
    void truncatedArchiveIsAnError() throws IOException {
        Path archive = dir.resolve("data.tar.gz");
        tar(splitLayout(), archive, true, "");
        byte[] bytes = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(bytes, bytes.length / 2));
        DataException e = assertThrows(DataException.class, () -> ImageFolderFormat.read(archive, OPTS));
        assertEquals(DataException.Problem.TRUNCATED, e.problem(), e.getMessage());
    }

    @Test
    void emptyFolderSaysWhatLayoutIsExpected() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        DataException e = assertThrows(DataException.class, () -> ImageFolderFormat.read(dir.resolve("empty"), OPTS));
        assertEquals(DataException.Problem.EMPTY, e.problem());
        assertTrue(e.fix().contains("root/<class>/"));
    }

    static void tar(Path root, Path archive, boolean gz, String prefix) throws IOException {
        try (OutputStream raw = Files.newOutputStream(archive);
             OutputStream out = gz ? new GzipCompressorOutputStream(raw) : raw;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
             Stream<Path> files = Files.walk(root)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files.filter(Files::isRegularFile).sorted((a, b) -> b.compareTo(a)).toList()) {
                TarArchiveEntry e = new TarArchiveEntry(f.toFile(), prefix + root.relativize(f).toString());
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        }
    }
}
