package dev.tuneup.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Class names are exact, printable and distinct: a folder name that does not decode exactly in the
 * platform's file-name charset is refused (two such folders would merge into one class, and ids would
 * depend on the locale), as are names with control characters and two names that differ only in
 * Unicode normalisation.
 */
final class ClassNames {
    private ClassNames() {
    }

    /** The name of {@code folder}, refused unless the text encodes back to the very bytes on disk. */
    static String of(Path folder) {
        Path name = folder.getFileName();
        String text = name.toString();
        if (text.indexOf('\uFFFD') >= 0 || !roundTrips(text, name)) {
            throw new DataException(folder.toString(), DataException.Problem.BAD_CLASS_NAME, "folder name is not valid"
                    + " in the file-name charset " + System.getProperty("sun.jnu.encoding") + ", so it cannot be a"
                    + " class name as it is", "rename the folder in UTF-8 (e.g. convmv -f latin1 -t utf8), and run"
                    + " with a UTF-8 locale (LANG=C.UTF-8) if the name is not plain ASCII");
        }
        return text;
    }

    private static boolean roundTrips(String text, Path name) {
        try {
            return Path.of(text).equals(name);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Checks every class name; {@code sources} maps each to a file of that class, which errors name. */
    static void check(Map<String, String> sources) {
        Map<String, String> normalised = new HashMap<>();
        sources.entrySet().stream().sorted(Map.Entry.comparingByKey(DecodePool.CODE_POINT)).forEach(e -> {
            String name = e.getKey();
            String source = e.getValue();
            if (name.indexOf('\uFFFD') >= 0) {
                throw bad(source, "class name '" + name + "' holds bytes that are not valid UTF-8",
                        "rename the folder or label in UTF-8");
            }
            name.codePoints().filter(ClassNames::control).findFirst().ifPresent(cp -> {
                throw bad(source, "class name '" + name + "' holds the control character "
                        + String.format("U+%04X", cp), "rename the folder or label without control characters");
            });
            String other = normalised.putIfAbsent(Normalizer.normalize(name, Normalizer.Form.NFC), name);
            if (other != null) {
                throw bad(source, "class name '" + name + "' differs from '" + other + "' (of " + sources.get(other)
                        + ") only in Unicode normalisation", "give both the same spelling (NFC), or distinct names");
            }
        });
    }

    private static boolean control(int cp) {
        return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029;
    }

    private static DataException bad(String source, String reason, String fix) {
        return new DataException(source, DataException.Problem.BAD_CLASS_NAME, reason, fix);
    }
}
