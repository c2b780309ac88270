#!/usr/bin/env python3
"""Writes core/src/main/resources/dev/tuneup/model/bf16-cast.pt, the one TorchScript function tuneup's
bf16 training needs (dev.tuneup.model.Bf16).

DJL 0.36's native layer cannot name bfloat16: NDArray.toType(BFLOAT16) aborts the JVM, and its toType runs
without autograd anyway. This module does the cast inside libtorch, with autograd on, so gradients flow
back to the float32 master weights (what torch.autocast does):
  float32 -> bfloat16 (4-D tensors in channels-last memory format, which oneDNN's bf16 convolutions
             want; without it every convolution reorders its input and output)
  anything else -> float32
Regenerate with Debian's python3-torch:  /usr/bin/python3 scripts/gen_bf16_cast.py
"""
import os

import torch


class Bf16Cast(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype == torch.float32:
            y = x.to(torch.bfloat16)
            if y.dim() == 4:
                y = y.contiguous(memory_format=torch.channels_last)
            return y
        return x.to(torch.float32)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "core", "src", "main", "resources", "dev", "tuneup", "model", "bf16-cast.pt")
    m = torch.jit.script(Bf16Cast())
    x = torch.randn(2, 3, 4, 5)
    y = m(x)
    assert y.dtype == torch.bfloat16 and y.is_contiguous(memory_format=torch.channels_last)
    assert m(y).dtype == torch.float32
    m.save(out)
    print(f"wrote {os.path.normpath(out)} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
