package dev.tuneup.cli;

import dev.tuneup.data.BadFilePolicy;
import dev.tuneup.data.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command that loads a data set shares (a picocli mixin). */
public final class DataOptions {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder to search for named data sets first (repeatable); then $TUNEUP_DATA,"
                    + " /usr/share/datasets, ~/.cache/tuneup/data.")
    List<Path> dataDirs = new ArrayList<>();

    @Option(names = "--bad-files", paramLabel = "POLICY", defaultValue = "fail",
            converter = PolicyConverter.class,
            description = "fail (default): stop and name every bad image file; skip: leave them out and report each.")
    BadFilePolicy badFiles;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "40000000",
            description = "Refuse images whose header declares more pixels than this (default ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--max-file-bytes", paramLabel = "N", defaultValue = "268435456",
            description = "Refuse image files larger than this before reading them (default ${DEFAULT-VALUE}, 256 MiB).")
    long maxFileBytes;

    @Option(names = "--allow-outside-paths",
            description = "Let a .csv manifest name images outside its own folder (absolute paths, ..); off by default.")
    boolean outsidePaths;

    @Option(names = "--channels", paramLabel = "1|3", defaultValue = "3",
            description = "Channels of image files after conversion (default ${DEFAULT-VALUE}); IDX and CIFAR keep theirs.")
    int channels;

    @Option(names = "--size", paramLabel = "HxW",
            description = "Resize image files to this size (antialiased bilinear); default: none, and images of"
                    + " mixed sizes are an error.")
    String size;

    @Option(names = "--classes", paramLabel = "FILE|a,b,c",
            description = "Pin the class list (ids = positions): a file with one name per line, or a comma list."
                    + " A class folder not in it is an error, so ids never drift between data sets.")
    String classes;

    LoadOptions toLoadOptions() {
        if (maxFileBytes <= 0 || maxFileBytes > LoadOptions.MAX_FILE_BYTES_LIMIT) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                    "--max-file-bytes must be in 1.." + LoadOptions.MAX_FILE_BYTES_LIMIT + ", not " + maxFileBytes);
        }
        LoadOptions o = LoadOptions.defaults().withBadFiles(badFiles).withMaxPixels(maxPixels).withMaxFileBytes(maxFileBytes)
                .withOutsidePaths(outsidePaths);
        if (classes != null) {
            o = o.withClasses(classList(classes));
        }
        if (channels != 1 && channels != 3) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                    "--channels must be 1 or 3, not " + channels);
        }
        o = o.withChannels(channels);
        if (size != null) {
            String[] hw = size.toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                o = o.withSize(Integer.parseInt(hw[0]), Integer.parseInt(hw[hw.length - 1]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                        "--size must look like 32x32, not '" + size + "'");
            }
        }
        return o;
    }

    private java.util.List<String> classList(String spec) {
        Path file = Path.of(spec);
        if (java.nio.file.Files.isRegularFile(file)) {
            try {
                return java.nio.file.Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            } catch (java.io.IOException e) {
                throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                        "--classes: cannot read " + file + ": " + e.getMessage());
            }
        }
        return java.util.Arrays.stream(spec.split(",")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Accepts the policy in any case. */
    static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<BadFilePolicy> {
        @Override
        public BadFilePolicy convert(String value) {
            try {
                return BadFilePolicy.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not fail or skip");
            }
        }
    }
}
