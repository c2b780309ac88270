package dev.tuneup.spec;

import java.util.Collection;

/** "Did you mean ...?" for misspelt names: Levenshtein distance and the closest candidate. */
public final class Spelling {
    private Spelling() {
    }

    /** The candidate closest to {@code word} by edit distance ("" when there are none). */
    public static String closest(Collection<String> candidates, String word) {
        return candidates.stream().min((a, b) -> Integer.compare(distance(a, word), distance(b, word))).orElse("");
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
