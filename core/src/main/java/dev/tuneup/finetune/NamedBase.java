package dev.tuneup.finetune;

import dev.tuneup.data.Download;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The pretrained bases tuneup knows by name ({@code --base resnet18}). A named base lives in the
 * model cache as {@code <name>.pt}; it gets there with {@code tuneup model fetch <name>} when a
 * TorchScript file is published for it (downloaded, checksummed with the publisher's own checksum),
 * or by exporting it with {@code scripts/export_torchvision_base.py} (the fetch's fix says how).
 *
 * <p>Checksums are the publisher's, never computed here: DJL's model zoo publishes SHA-1 (in the
 * artifact's {@code metadata.json}), so the table carries the algorithm per entry.
 *
 * @param url      the published file, or null when none is published (export only)
 * @param checksum the publisher's checksum of the file at {@code url}
 * @param size     its size in bytes
 * @param archive  how the {@code .pt} is packed at {@code url}
 * @param metadata the preprocessing and features of the published file (null: read from the export)
 * @param torchvision the torchvision builder that exports the same network
 */
public record NamedBase(String name, String description, String url, Download.Checksum checksum, long size,
                        Archive archive, BaseMetadata metadata, String torchvision) {
    /** How the TorchScript file is packed at its URL. */
    public enum Archive { PT, GZIP, ZIP }

    private static final String DJL = "https://mlrepo.djl.ai/model/cv/image_classification/ai/djl/pytorch/";

    /** The table. Source of the DJL entry: deepjavalibrary/djl, pytorch-model-zoo, resnet18_embedding/metadata.json. */
    public static final List<NamedBase> ALL = List.of(
            new NamedBase("resnet18", "ResNet-18, ImageNet-1k, headless (DJL model zoo resnet18_embedding 0.0.1)",
                    DJL + "resnet18_embedding/0.0.1/resnet18_embedding.zip",
                    Download.Checksum.sha1("e37db339e87dc13ae0831e45818fca454f526ffb"), 41_574_720L, Archive.ZIP,
                    new BaseMetadata("resnet18", 224, "center-crop", 0.875, BaseMetadata.IMAGENET_MEAN,
                            BaseMetadata.IMAGENET_STD, 512, "forward", "IMAGENET1K_V1"), "resnet18"),
            exportOnly("resnet34", "ResNet-34, ImageNet-1k (torchvision)"),
            exportOnly("resnet50", "ResNet-50, ImageNet-1k (torchvision)"),
            exportOnly("mobilenet_v3_large", "MobileNetV3-Large, ImageNet-1k (torchvision)"),
            exportOnly("efficientnet_b0", "EfficientNet-B0, ImageNet-1k (torchvision)"));

    private static NamedBase exportOnly(String name, String description) {
        return new NamedBase(name, description, null, null, -1, Archive.PT, null, name);
    }

    /** The base called {@code name} (case-insensitive, {@code -} as {@code _}), or null. */
    public static NamedBase byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
        return ALL.stream().filter(b -> b.name.equals(n)).findFirst().orElse(null);
    }

    public static String names() {
        return String.join(", ", ALL.stream().map(NamedBase::name).toList());
    }

    /** Whether a file is published for it (else it can only be exported). */
    public boolean downloadable() {
        return url != null;
    }

    /** The cached file: {@code <cache>/<name>.pt}. */
    public Path file(Path cache) {
        return cache.resolve(name + ".pt");
    }

    /** The download address, with the mirror (if any) in place of the scheme and host. */
    public String url(String mirror) {
        if (mirror == null || mirror.isBlank() || url == null) {
            return url;
        }
        String path = java.net.URI.create(url).getRawPath();
        return mirror.replaceAll("/+$", "") + path;
    }

    /** The one-line PyTorch export that writes the same base to {@code target}. */
    public String exportLine(Path target) {
        return "python3 -c \"import torch, torchvision; m = torchvision.models." + torchvision + "(weights='DEFAULT'); "
                + headless() + "; torch.jit.script(m).save('" + target + "')\"";
    }

    /** The command of the repo's export script that writes the base with its metadata to {@code target}. */
    public String scriptLine(Path target) {
        return "python3 scripts/export_torchvision_base.py " + torchvision + " --weights default --output " + target;
    }

    private String headless() {
        return torchvision.startsWith("resnet") ? "m.fc = torch.nn.Identity()" : "m.classifier = torch.nn.Identity()";
    }
}
