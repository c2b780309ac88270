#!/usr/bin/env python3
"""Export a torchvision architecture as a tuneup-ready TorchScript base.

    python3 scripts/export_torchvision_base.py resnet18 --weights default --output resnet18.pt
    tuneup finetune --base resnet18.pt --data ...

The file is torch.jit.script'ed (BatchNorm and dropout keep switching between train and eval, which
tracing would freeze), and has:
  * forward_features(x) -> [N, F]: the penultimate, globally pooled features (forward() is the same);
    the network's top-level stages are top-level modules, so tuneup's recipes can group them;
  * extra/tuneup.json: architecture, input size, resize rule ("center-crop": shorter side to
    size / crop_fraction, then the centre size x size), crop_fraction, mean, std, feature count, weights.
--weights default downloads torchvision's pretrained weights (internet, once; torchvision checks the
file's SHA-256 prefix); --weights none gives random weights (tests). --whole exports the classifier too,
as most people do, which tuneup refuses to fine-tune from. Needs only torch and torchvision
(Debian: python3-torch python3-torchvision).
"""
import argparse
import importlib.util
import json
import os
import sys
import tempfile

import torch
import torchvision

# family -> (top-level parts before pooling, pool, modules after pooling and before flatten)
FAMILIES = {
    "resnet": "resnet", "resnext": "resnet", "wide_resnet": "resnet",
    "mobilenet_v2": "features", "mobilenet_v3": "features", "efficientnet": "features", "convnext": "features",
    "regnet": "regnet",
}


def family(arch):
    for prefix, fam in FAMILIES.items():
        if arch.startswith(prefix):
            return fam
    sys.exit(f"error: {arch} is not supported; supported families: {', '.join(sorted(FAMILIES))}")


def parts(arch, m):
    """(name, module) in forward order up to the pooled features; and the modules after the pool."""
    fam = family(arch)
    if fam == "resnet":
        names = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]
        return [(n, getattr(m, n)) for n in names], m.avgpool, []
    if fam == "regnet":
        trunk = [(f"trunk_{i}", b) for i, b in enumerate(m.trunk_output.children())]
        return [("stem", m.stem)] + trunk, m.avgpool, []
    feats = [(f"features_{i}", b) for i, b in enumerate(m.features.children())]
    pool = getattr(m, "avgpool", None) or torch.nn.AdaptiveAvgPool2d(1)  # mobilenet_v2 pools in forward()
    after = [("norm", m.classifier[0])] if arch.startswith("convnext") else []  # ConvNeXt's pre-logits LayerNorm2d
    return feats, pool, after


def flat_module(named, pool, after):
    """A scriptable module with each part as a top-level attribute: its source is generated, then imported."""
    calls = "".join(f"        x = self.{n}(x)\n" for n, _ in named)
    post = "".join(f"        x = self.{n}(x)\n" for n, _ in after)
    src = ("import torch\n\n\nclass Features(torch.nn.Module):\n"
           "    def __init__(self, parts):\n        super().__init__()\n"
           "        for name, module in parts:\n            setattr(self, name, module)\n\n"
           "    def forward(self, x):\n        return self.forward_features(x)\n\n"
           "    @torch.jit.export\n    def forward_features(self, x):\n" + calls +
           "        x = self.avgpool(x)\n" + post + "        return torch.flatten(x, 1)\n")
    d = tempfile.mkdtemp(prefix="tuneup-export-")
    path = os.path.join(d, "tuneup_features.py")
    with open(path, "w") as f:
        f.write(src)
    spec = importlib.util.spec_from_file_location("tuneup_features", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["tuneup_features"] = mod
    spec.loader.exec_module(mod)
    return mod.Features(named + [("avgpool", pool)] + after)


def preprocessing(arch, size):
    """Input size, crop fraction, mean and std of the architecture's default torchvision weights."""
    t = torchvision.models.get_model_weights(arch).DEFAULT.transforms()
    crop, resize = t.crop_size[0], t.resize_size[0]
    return (size or crop), crop / resize, list(t.mean), list(t.std)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("arch", help="a torchvision builder: resnet18, resnet50, mobilenet_v3_large, efficientnet_b0, ...")
    p.add_argument("--weights", default="default", help="default (pretrained, downloads once) or none (random)")
    p.add_argument("--output", "-o", required=True, help="the .pt file to write")
    p.add_argument("--size", type=int, default=0, help="input size (default: the weights' crop size, e.g. 224)")
    p.add_argument("--whole", action="store_true", help="export the whole classifier (tuneup refuses such a base)")
    p.add_argument("--num-classes", type=int, default=1000, help="classes of --whole with --weights none")
    p.add_argument("--seed", type=int, default=0, help="seed of random weights")
    a = p.parse_args(argv)
    torch.manual_seed(a.seed)
    if a.weights not in ("default", "none"):
        sys.exit("error: --weights must be default or none")
    weights = "DEFAULT" if a.weights == "default" else None
    kwargs = {} if weights or not a.whole else {"num_classes": a.num_classes}
    m = torchvision.models.get_model(a.arch, weights=weights, **kwargs).eval()
    size, crop_fraction, mean, std = preprocessing(a.arch, a.size)
    x = torch.rand(2, 3, size, size)
    if a.whole:
        out = torch.jit.script(m)
        features = out(x).shape[1]
        method = "forward"
    else:
        named, pool, after = parts(a.arch, m)
        out = torch.jit.script(flat_module(named, pool, after).eval())
        with torch.no_grad():
            y = out.forward_features(x)
            # the oracle: torchvision's own network up to its classifier
            if family(a.arch) in ("resnet", "regnet"):
                m.fc = torch.nn.Identity()
            elif a.arch.startswith("convnext"):
                m.classifier[2] = torch.nn.Identity()
            else:
                m.classifier = torch.nn.Identity()
            ref = m(x)
        if not torch.allclose(y, ref, atol=1e-5):
            sys.exit(f"error: the export's features differ from torchvision's by {(y - ref).abs().max():.3g}")
        features = y.shape[1]
        method = "forward_features"
    used = torchvision.models.get_model_weights(a.arch).DEFAULT.name if weights else "none"
    meta = {"architecture": a.arch, "size": size, "resize": "center-crop", "crop_fraction": crop_fraction,
            "mean": mean, "std": std, "features": int(features), "method": method, "weights": used}
    torch.jit.save(out, a.output, _extra_files={"tuneup.json": json.dumps(meta)})
    print(f"wrote {a.output}: {a.arch} ({used}) {'whole, ' if a.whole else ''}{method} -> {features} {'outputs' if a.whole else 'features'}"
          f" at {size}x{size}")


if __name__ == "__main__":
    main()
