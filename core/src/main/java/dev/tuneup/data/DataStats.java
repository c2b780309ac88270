package dev.tuneup.data;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0, 1], over every pixel of
 * every image (the numbers a normaliser needs). The content hash is {@link ImageSet#contentHash()},
 * computed only where it is wanted: hashing 150 MB costs more than these sums.
 */
public record DataStats(double[] mean, double[] std) {
    public static DataStats of(ImageSet set) {
        int c = set.channels();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        for (int i = 0; i < set.size(); i++) {
            byte[] p = set.pixels(i);
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long sq = 0;
                for (int k = ch; k < p.length; k += c) {
                    int v = p[k] & 0xFF;
                    s += v;
                    sq += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += sq;
            }
        }
        double n = (double) set.size() * set.height() * set.width();
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int k = 0; k < c; k++) {
            double m = sum[k] / n;
            mean[k] = m / 255.0;
            std[k] = Math.sqrt(Math.max(0, sumSq[k] / n - m * m)) / 255.0;
        }
        return new DataStats(mean, std);
    }
}
