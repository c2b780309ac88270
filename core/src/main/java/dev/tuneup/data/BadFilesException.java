package dev.tuneup.data;

import java.util.List;
import java.util.stream.Collectors;

/** Raised under {@link BadFilePolicy#FAIL}: every bad file found, not just the first. */
public class BadFilesException extends DataException {
    private final List<DataException> errors;

    public BadFilesException(String root, List<DataException> errors) {
        super(root, Problem.BAD_FILES, summary(errors),
                "fix or remove these files, or load with the skip policy (--bad-files skip) to leave them out");
        this.errors = List.copyOf(errors);
    }

    public List<DataException> errors() {
        return errors;
    }

    private static String summary(List<DataException> errors) {
        int shown = Math.min(errors.size(), 20);
        String list = errors.subList(0, shown).stream()
                .map(e -> "\n  " + e.getMessage()).collect(Collectors.joining());
        String more = errors.size() > shown ? "\n  ... and " + (errors.size() - shown) + " more" : "";
        return errors.size() + " bad file(s):" + list + more;
    }
}
