package dev.tuneup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

class ClassNamesTest {
    @TempDir
    Path dir;

    @Tag("reliability")
    @Test
    void namesThatLookTheSameAreRefusedNamingBoth() {
        String nfc = "caf\u00e9";
        String nfd = "cafe\u0301";
        DataException e = assertThrows(DataException.class,
                () -> ClassNames.check(Map.of(nfc, "root/" + nfc + "/0.png", nfd, "root/" + nfd + "/1.png")));
        assertEquals(DataException.Problem.BAD_CLASS_NAME, e.problem());
        assertTrue(e.getMessage().contains("root/" + nfc + "/0.png") && e.getMessage().contains("root/" + nfd + "/1.png"),
                e.getMessage());
    }

    @Tag("reliability")
    @Test
    void controlCharactersAndUndecodableBytesAreRefusedNamingTheSource() {
        DataException newline = assertThrows(DataException.class, () -> ClassNames.check(Map.of("a\nb", "root/a\nb/0.png")));
        assertTrue(newline.getMessage().contains("U+000A") && newline.source().equals("root/a\nb/0.png"), newline.getMessage());
        DataException bad = assertThrows(DataException.class, () -> ClassNames.check(Map.of("caf\uFFFD", "x.tar!caf/0.png")));
        assertTrue(bad.getMessage().contains("UTF-8"), bad.getMessage());
        ClassNames.check(Map.of("caf\u00e9", "a", "caf\u00e8", "b", "Äpfel", "c"));
    }

    @Tag("reliability")
    @Test
    void folderNamesAreReadExactlyOrRefused() throws Exception {
        Path root = dir.resolve("root");
        byte[] png = Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0));
        for (String name : List.of("caf\u00e9", "caf\u00e8")) {
            Fixtures.write(root, name + "/0.png", png);
        }
        assertEquals(List.of("caf\u00e8", "caf\u00e9"), ImageFolderFormat.read(root, LoadOptions.defaults()).classes());
        // a Latin-1 'é' (byte 0xE9) is not UTF-8, nor ASCII: whatever the locale, the name does not decode exactly
        Files.write(dir.resolve("0.png"), png);
        Process p = new ProcessBuilder("sh", "-c", "mkdir \"root/$(printf 'caf\\351')\" && cp 0.png \"root/$(printf 'caf\\351')/\"")
                .directory(dir.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
        DataException e = assertThrows(DataException.class, () -> ImageFolderFormat.read(root, LoadOptions.defaults()));
        assertEquals(DataException.Problem.BAD_CLASS_NAME, e.problem(), e.getMessage());
        assertTrue(e.fix().contains("rename"), e.fix());
    }

    @Tag("reliability")
    @Test
    void classFolderWithANewlineIsRefusedWhenTheDataLoad() throws IOException {
        Path root = dir.resolve("root");
        Fixtures.write(root, "ok/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        Fixtures.write(root, "two\nlines/0.png", Fixtures.png(Fixtures.rgb(4, 4, 0, 0, 0)));
        DataException e = assertThrows(DataException.class, () -> ImageFolderFormat.read(root, LoadOptions.defaults()));
        assertEquals(DataException.Problem.BAD_CLASS_NAME, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains("two\nlines") && e.getMessage().contains("U+000A"), e.getMessage());
    }
}
