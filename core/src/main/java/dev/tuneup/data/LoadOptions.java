package dev.tuneup.data;

import java.util.List;

/**
 * How image files are turned into an {@link ImageSet}.
 *
 * @param badFiles  what to do with files that cannot be used
 * @param maxPixels images whose header declares more pixels than this are refused before decoding
 * @param maxFileBytes image files larger than this are refused before they are read
 * @param channels  1 (gray) or 3 (RGB); images are converted to it
 * @param height    target height; 0 keeps each image's size, and then they must all be one size
 * @param width     target width; 0 as for height
 * @param cropFraction with a target size: 0 resizes plainly, a value in (0, 1] keeps the aspect ratio
 *                  and takes the centre (see {@link Fit})
 * @param classes   pinned class list (ids = positions); null sorts the folder names by code point.
 *                  With a pinned list, a folder that is not in it is an error, so ids never drift
 * @param threads   decoding threads
 * @param outsidePaths a manifest may name images outside its own folder (absolute paths, {@code ..});
 *                  off by default, so a manifest from elsewhere cannot make tuneup read any file
 * @param progress  told after each image file is decoded (from decoding threads); never null
 */
public record LoadOptions(BadFilePolicy badFiles, long maxPixels, long maxFileBytes, int channels, int height, int width,
                          double cropFraction, List<String> classes, int threads, boolean outsidePaths, Runnable progress) {
    /** 40 megapixels: larger than any camera image a classifier is trained on, small enough to decode. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** 256 MiB: above a 40-megapixel image stored uncompressed (120 MB as a BMP), far below a heap's worth. */
    public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;
    /** Java arrays hold at most about 2 GiB, so no file larger than this can be read whole. */
    public static final long MAX_FILE_BYTES_LIMIT = Integer.MAX_VALUE - 16;

    public LoadOptions {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
        }
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("give both height and width, or neither (got "
                    + height + "x" + width + ")");
        }
        if (maxPixels <= 0 || threads <= 0) {
            throw new IllegalArgumentException("maxPixels and threads must be positive");
        }
        if (maxFileBytes <= 0 || maxFileBytes > MAX_FILE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFileBytes must be in 1.." + MAX_FILE_BYTES_LIMIT + ", not " + maxFileBytes);
        }
        if (height > 0) {
            new Fit(height, width, cropFraction); // checks the fraction
        }
        classes = classes == null ? null : List.copyOf(classes);
        progress = progress == null ? () -> { } : progress;
    }

    public static LoadOptions defaults() {
        return new LoadOptions(BadFilePolicy.FAIL, DEFAULT_MAX_PIXELS, DEFAULT_MAX_FILE_BYTES, 3, 0, 0, 0, null,
                Math.max(1, Runtime.getRuntime().availableProcessors()), false, null);
    }

    public LoadOptions withBadFiles(BadFilePolicy policy) {
        return new LoadOptions(policy, maxPixels, maxFileBytes, channels, height, width, cropFraction, classes, threads, outsidePaths, progress);
    }

    public LoadOptions withMaxPixels(long max) {
        return new LoadOptions(badFiles, max, maxFileBytes, channels, height, width, cropFraction, classes, threads, outsidePaths, progress);
    }

    public LoadOptions withMaxFileBytes(long max) {
        return new LoadOptions(badFiles, maxPixels, max, channels, height, width, cropFraction, classes, threads, outsidePaths, progress);
    }

    public LoadOptions withChannels(int c) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, c, height, width, cropFraction, classes, threads, outsidePaths, progress);
    }

    public LoadOptions withSize(int h, int w) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, channels, h, w, cropFraction, classes, threads, outsidePaths, progress);
    }

    /** Images fitted to {@code fit}'s size by its rule as they are decoded. */
    public LoadOptions withFit(Fit fit) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, channels, fit.height(), fit.width(), fit.cropFraction(),
                classes, threads, outsidePaths, progress);
    }

    /** The target size and rule, or null to keep each image's own size. */
    public Fit fit() {
        return height == 0 ? null : new Fit(height, width, cropFraction);
    }

    public LoadOptions withClasses(List<String> pinned) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, channels, height, width, cropFraction, pinned, threads, outsidePaths, progress);
    }

    public LoadOptions withProgress(Runnable onImage) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, channels, height, width, cropFraction, classes, threads, outsidePaths, onImage);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, channels, height, width, cropFraction, classes, n, outsidePaths, progress);
    }

    public LoadOptions withOutsidePaths(boolean allowed) {
        return new LoadOptions(badFiles, maxPixels, maxFileBytes, channels, height, width, cropFraction, classes, threads, allowed, progress);
    }
}
