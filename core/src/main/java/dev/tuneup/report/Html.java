package dev.tuneup.report;

import java.util.Base64;

/**
 * The escaping every piece of text in a report goes through: element text and attribute values are
 * escaped here and nowhere else, so a class name such as {@code <script>} shows as text.
 */
public final class Html {
    private Html() {
    }

    /** {@code s} escaped for element text and quoted attribute values ({@code & < > " '}); null as "". */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A {@code data:} URI holding the PNG bytes, for an {@code <img src>} that needs no file or network. */
    public static String pngUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** A section id from a title: lower case letters and digits, the rest as '-'. */
    public static String id(String title) {
        String s = title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "section" : s;
    }
}
