package dev.tuneup.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneup.TuneupException;
import dev.tuneup.data.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A gallery file ({@code top-losses.json}, {@code label-issues.json}): the images a step singled out,
 * each as its own small PNG with where it came from and its caption lines, so a report can show them
 * with their ids and labels without loading the data set again. Keys: {@code items}, each with
 * {@code id}, {@code index}, {@code lines} and {@code png_base64}.
 */
public final class Gallery {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One image: its source id (file or record), index in its split, and caption lines. */
    public record Item(Image image, String id, int index, List<String> lines) {
    }

    private Gallery() {
    }

    public static void write(Path json, List<Item> items) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("items");
        for (Item it : items) {
            ObjectNode n = arr.addObject();
            n.put("id", it.id());
            n.put("index", it.index());
            n.set("lines", JSON.valueToTree(it.lines()));
            n.put("png_base64", Base64.getEncoder().encodeToString(png(it.image())));
        }
        AtomicWrite.bytes(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /** The items of a gallery file, as a report shows them. */
    public static List<ReportPage.GalleryItem> read(Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        List<ReportPage.GalleryItem> out = new ArrayList<>();
        for (JsonNode n : root.path("items")) {
            List<String> lines = new ArrayList<>();
            n.path("lines").forEach(l -> lines.add(l.asText()));
            try {
                out.add(new ReportPage.GalleryItem(Base64.getDecoder().decode(n.path("png_base64").asText()),
                        n.path("id").asText(), lines));
            } catch (IllegalArgumentException e) {
                throw new TuneupException(json + ": item " + out.size() + " has no valid png_base64",
                        "run the step that wrote it again");
            }
        }
        return out;
    }

    /** The image as a PNG at its own size (grey or RGB). */
    static byte[] png(Image im) {
        BufferedImage out = new BufferedImage(im.width(), im.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < im.height(); y++) {
            for (int x = 0; x < im.width(); x++) {
                int r = im.get(y, x, 0);
                int g = im.channels() == 3 ? im.get(y, x, 1) : r;
                int b = im.channels() == 3 ? im.get(y, x, 2) : r;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
