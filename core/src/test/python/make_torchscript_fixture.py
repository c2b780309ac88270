#!/usr/bin/python3
"""TorchScript fixtures for dev.tuneup.model.TorchScriptBackbone, with PyTorch as the oracle.

Run with Debian's python3 (python3-torch 1.13): /usr/bin/python3 core/src/test/python/make_torchscript_fixture.py
Writes into core/src/test/resources/torchscript/:
  tiny_headless.pt    a tiny CNN trunk for 3x32x32 input; forward returns [N,16] features
                      (an nn.Sequential, so its parameters are named "0.weight", "1.weight", ...),
                      plus bn_stats() returning the BatchNorm running means and variances
  tiny_with_head.pt   the same trunk as `features` plus a Linear `fc` (10 classes) in forward,
                      and exported forward_features() returning the [N,16] features and bn_stats()
  tiny_spatial.pt     the same trunk without pool/flatten: forward returns the [N,16,16,16] map
  tiny_state_dict.pt  the trunk's state_dict saved with torch.save (not TorchScript: must be refused)
  tiny_golden.json    the fixed input's features (eval and training mode) and BatchNorm statistics
"""
import copy
import json
import os
from typing import List

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "torchscript")


class Trunk(nn.Sequential):
    def __init__(self, pooled: bool = True):
        layers = [
            nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        ]
        if pooled:
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        super().__init__(*layers)

    @torch.jit.export
    def bn_stats(self) -> List[torch.Tensor]:
        """[mean1, var1, mean2, var2]: lets a test read the buffers, which DJL does not expose."""
        # Literal indices: TorchScript's isinstance matches only the first BatchNorm2d (the second one
        # compiles to a different, mangled type).
        return [self[1].running_mean, self[1].running_var, self[4].running_mean, self[4].running_var]


class WithHead(nn.Module):
    def __init__(self, trunk: nn.Module):
        super().__init__()
        self.features = trunk
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(self.features(x))

    @torch.jit.export
    def forward_features(self, x):
        return self.features(x)

    @torch.jit.export
    def bn_stats(self) -> List[torch.Tensor]:
        return self.features.bn_stats()


def fixed_input():
    """The Java test builds the same: ((i % 17) / 17 - 0.5) over i = 0..6143, shape [2,3,32,32]."""
    i = torch.arange(2 * 3 * 32 * 32, dtype=torch.float32)
    return ((i % 17) / 17 - 0.5).reshape(2, 3, 32, 32)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def main():
    torch.manual_seed(0)
    trunk = Trunk()
    trunk.train()
    with torch.no_grad():  # non-trivial running statistics, so eval mode visibly differs from training mode
        for _ in range(3):
            trunk(torch.randn(8, 3, 32, 32) * 0.8 + 0.1)
    trunk.eval()
    x = fixed_input()
    with torch.no_grad():
        eval_features = trunk(x)
        stats0 = trunk.bn_stats()
        probe = copy.deepcopy(trunk).train()
        train_features = probe(x)
        stats1 = probe.bn_stats()
        eval_after = probe.eval()(x)

    spatial = Trunk(pooled=False)
    spatial.load_state_dict(trunk.state_dict())
    spatial.eval()
    head = WithHead(copy.deepcopy(trunk))
    head.eval()
    with torch.no_grad():
        assert torch.allclose(spatial(x).mean(dim=(2, 3)), eval_features, atol=1e-6)
        logits = head(x)

    os.makedirs(OUT, exist_ok=True)
    torch.jit.script(trunk).save(os.path.join(OUT, "tiny_headless.pt"))
    torch.jit.script(head).save(os.path.join(OUT, "tiny_with_head.pt"))
    torch.jit.script(spatial).save(os.path.join(OUT, "tiny_spatial.pt"))
    torch.save(trunk.state_dict(), os.path.join(OUT, "tiny_state_dict.pt"))
    golden = {
        "torch": torch.__version__,
        "input_shape": list(x.shape),
        "eval_features": flat(eval_features),
        "eval_logits": flat(logits),
        "train_features": flat(train_features),
        "bn_stats_before": [flat(t) for t in stats0],
        "bn_stats_after_one_train_forward": [flat(t) for t in stats1],
        "eval_features_after_one_train_forward": flat(eval_after),
        "parameters": [n for n, _ in trunk.named_parameters()],
    }
    with open(os.path.join(OUT, "tiny_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
