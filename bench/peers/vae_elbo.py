# The course's VAE (003 P2: 784-500-2, tanh, Gaussian encoder, Bernoulli decoder) in PyTorch,
# trained as bench/vae-elbo.js trains latentkit's: Adam 1e-3, batch 128, `epochs` epochs,
# PyTorch's default nn.Linear init, the single-sample ELBO of Eq. 2
#   ELBO(x) ≈ log p(x|z) + log p(z) − log q(z|x),  z = μ + σ ε,
# and prints the held-out ELBO (nats per digit, mean of `evalSamples` draws) for each seed as JSON.
# Usage: python3 vae_elbo.py train.f32 test.f32 epochs evalSamples seed[,seed...]
import json, math, sys
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

train_path, test_path, epochs, eval_samples, seeds = sys.argv[1:6]
epochs, eval_samples = int(epochs), int(eval_samples)
torch.set_num_threads(2)
xtr = torch.from_numpy(np.fromfile(train_path, dtype=np.float32).reshape(-1, 784))
xte = torch.from_numpy(np.fromfile(test_path, dtype=np.float32).reshape(-1, 784))
LOG2PI = math.log(2 * math.pi)


class VAE(nn.Module):
    def __init__(self, d=784, h=500, l=2):
        super().__init__()
        self.encHidden, self.encMu, self.encLogVar = nn.Linear(d, h), nn.Linear(h, l), nn.Linear(h, l)
        self.decHidden, self.decOut = nn.Linear(l, h), nn.Linear(h, d)

    def elbo(self, x):
        h = torch.tanh(self.encHidden(x))
        mu, lv = self.encMu(h), self.encLogVar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        logits = self.decOut(torch.tanh(self.decHidden(z)))
        log_px = -F.binary_cross_entropy_with_logits(logits, x, reduction='none').sum(-1)
        log_pz = -0.5 * (z ** 2 + LOG2PI).sum(-1)
        log_qz = -0.5 * ((z - mu) ** 2 / torch.exp(lv) + lv + LOG2PI).sum(-1)
        return log_px + log_pz - log_qz


out = []
for seed in [int(s) for s in seeds.split(',')]:
    torch.manual_seed(seed)
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        perm = torch.randperm(len(xtr))
        for b in range(0, len(xtr), 128):
            loss = -model.elbo(xtr[perm[b:b + 128]]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        held = float(np.mean([model.elbo(xte).mean().item() for _ in range(eval_samples)]))
    out.append({"seed": seed, "heldOutElbo": held})
print(json.dumps({"torch": torch.__version__, "runs": out}))
