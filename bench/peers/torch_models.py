# PyTorch CPU peers of the training steps in bench/suites/models.js and
# bench/suites/vae.js, written in plain torch (nn.Linear, nn.Conv2d, ...), the
# same architectures as latentkit's model classes (src/models/*.ts).
#
# The job's arrays (bench/python.js) carry, by name:
#   p.<name>   every latentkit parameter, e.g. p.encHidden.weight [out, in]
#              (latentkit's Linear layout is torch's nn.Linear layout)
#   in.<name>  the batch and the fixed noise (x, y, eps, z, z2)
#   expected   latentkit's losses of the first two steps, computed in JS on the
#              same weights (GAN: D loss, G loss of step 1, then of step 2)
# setup(kind, data) runs two steps on one copy of the model and raises if any
# loss differs from latentkit's by more than 1e-3 relative (so the benchmark
# table shows "missing (loss mismatch ...)" rather than a ratio of different
# work), then returns the timed step of a fresh copy: zero_grad, forward, loss,
# backward, Adam step (the lr / betas of the latentkit step).
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

RTOL = 1e-3


def bce(l, t):
    # BCE with logits as latentkit computes it: relu(l) - l·t + log(1 + e^-|l|)
    return F.relu(l) - l * t + torch.log1p(torch.exp(-l.abs()))


def kl_std(mu, lv):
    # KL(N(mu, e^lv) || N(0, I)) per row = ½ Σ (e^lv + mu² - 1 - lv)
    return 0.5 * (lv.exp() + mu * mu - 1 - lv).sum(-1)


def reparam(mu, lv, eps):
    return mu + torch.exp(0.5 * lv) * eps


def t(a):
    return torch.from_numpy(a.copy())


def load(module, P, name):
    # copy latentkit's weight / bias into an nn.Linear or nn.Conv2d
    with torch.no_grad():
        module.weight.copy_(t(P[name + ".weight"]))
        module.bias.copy_(t(P[name + ".bias"]))
    return module


def linear(P, name):
    w = P[name + ".weight"]
    return load(nn.Linear(w.shape[1], w.shape[0]), P, name)


def conv(P, name, padding):
    w = P[name + ".weight"]
    return load(nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], padding=padding), P, name)


class VAE(nn.Module):
    # 784-500-2, tanh; loss = mean(Σ bce(logits, x) + KL)  (latentkit estimator 'analytic')
    def __init__(self, P):
        super().__init__()
        for n in ["encHidden", "encMu", "encLogVar", "decHidden", "decOut"]:
            setattr(self, n, linear(P, n))

    def loss(self, I):
        x = I["x"]
        h = torch.tanh(self.encHidden(x))
        mu, lv = self.encMu(h), self.encLogVar(h)
        logits = self.decOut(torch.tanh(self.decHidden(reparam(mu, lv, I["eps"]))))
        return (bce(logits, x).sum(-1) + kl_std(mu, lv)).mean()


class CVAE(nn.Module):
    # encoder [x, y] -> 400 -> 400 -> (mu, lv) of 20; decoder [z, y] -> 400 -> 400 -> 784; ReLU
    def __init__(self, P):
        super().__init__()
        for n in ["enc1", "enc2", "encMu", "encLogVar", "dec1", "dec2", "decOut"]:
            setattr(self, n, linear(P, n))

    def loss(self, I):
        x, y = I["x"], I["y"]
        h = F.relu(self.enc2(F.relu(self.enc1(torch.cat([x, y], 1)))))
        mu, lv = self.encMu(h), self.encLogVar(h)
        z = reparam(mu, lv, I["eps"])
        logits = self.decOut(F.relu(self.dec2(F.relu(self.dec1(torch.cat([z, y], 1))))))
        return (bce(logits, x).sum(-1) + kl_std(mu, lv)).mean()


class GMVAE(nn.Module):
    # the three-term ELBO of src/models/gmvae.ts with a Bernoulli decoder
    def __init__(self, P):
        super().__init__()
        for n in ["encHidden", "encMu", "encLogVar", "clsHidden", "clsOut", "decHidden", "decOut"]:
            setattr(self, n, linear(P, n))
        self.priorMu = nn.Parameter(t(P["priorMu"]))
        self.priorLogVar = nn.Parameter(t(P["priorLogVar"]))

    def loss(self, I):
        x, eps = I["x"], I["eps"]
        n, L = eps.shape
        K, c = self.priorMu.shape[0], math.log(2 * math.pi)
        h = torch.tanh(self.encHidden(x))
        mu, lv = self.encMu(h), self.encLogVar(h)
        w = reparam(mu, lv, eps)
        recon = -bce(self.decOut(torch.tanh(self.decHidden(w))), x).sum(-1)
        logq = F.log_softmax(self.clsOut(torch.tanh(self.clsHidden(torch.cat([w, h], 1)))), -1)
        q = logq.exp()
        # log N(w; mu_k, e^{plv_k} I) for every component k: [n, K]
        plv = self.priorLogVar.reshape(1, K, 1)
        d2 = (w.reshape(n, 1, L) - self.priorMu.reshape(1, K, L)) ** 2
        log_pwz = -0.5 * (d2 * torch.exp(-plv) + plv + c).sum(-1)
        w_term = (q * log_pwz).sum(-1) + 0.5 * (lv + 1 + c).sum(-1)
        z_term = -(q * (logq + math.log(K))).sum(-1)
        return -(recon + w_term + z_term).mean()


class NICE(nn.Module):
    # couplings of 5 ReLU layers on alternating even / odd halves, y_B = x_B + m(x_A),
    # then z = h·e^s; loss = -mean log p(x) = mean Σ [softplus(z) + softplus(-z)] - Σ s
    def __init__(self, P):
        super().__init__()
        nets, i = [], 0
        while f"couplings.{i}.layers.0.weight" in P:
            layers, j = [], 0
            while f"couplings.{i}.layers.{j}.weight" in P:
                if j:
                    layers.append(nn.ReLU())
                layers.append(linear(P, f"couplings.{i}.layers.{j}"))
                j += 2
            nets.append(nn.Sequential(*layers))
            i += 1
        self.couplings = nn.ModuleList(nets)
        self.logScale = nn.Parameter(t(P["logScale"]))

    def loss(self, I):
        h = I["x"]
        d = h.shape[1]
        for i, m in enumerate(self.couplings):
            ev, od = h[:, 0::2], h[:, 1::2]
            if i % 2 == 0:
                h = torch.stack([ev, od + m(ev)], 2).reshape(-1, d)
            else:
                h = torch.stack([ev + m(od), od], 2).reshape(-1, d)
        z = h * self.logScale.exp()
        return (F.softplus(z) + F.softplus(-z)).sum(-1).mean() - self.logScale.sum()


class GAN(nn.Module):
    # the course tables (src/models/gan.ts); parameter names generator.layers.k / discriminator.layers.k
    def __init__(self, P):
        super().__init__()
        g = lambda k: f"generator.layers.{k}"
        d = lambda k: f"discriminator.layers.{k}"
        self.generator = nn.Sequential(
            linear(P, g(0)), nn.LeakyReLU(0.2), nn.Unflatten(1, (32, 7, 7)), nn.Upsample(scale_factor=2, mode="nearest"),
            conv(P, g(4), 1), nn.LeakyReLU(0.2), nn.Upsample(scale_factor=2, mode="nearest"),
            conv(P, g(7), 1), nn.LeakyReLU(0.2), conv(P, g(9), 1), nn.Sigmoid())
        self.discriminator = nn.Sequential(
            conv(P, d(0), 1), nn.ReLU(), nn.MaxPool2d(2), conv(P, d(3), 1), nn.ReLU(), nn.MaxPool2d(2),
            conv(P, d(6), 0), nn.ReLU(), nn.Flatten(), linear(P, d(9)))


def _vae128_loss(V, I):
    # bench/suites/vae.js: raw [in, out] weights, x·W + b
    x, B = I["x"], I["x"].shape[0]
    h = torch.tanh(x @ V["W1"] + V["b1"])
    mu, lv = h @ V["Wm"] + V["bm"], h @ V["Wv"] + V["bv"]
    g = torch.tanh(reparam(mu, lv, I["eps"]) @ V["W3"] + V["b3"])
    logits = g @ V["W4"] + V["b4"]
    rec = (F.softplus(logits) - x * logits).sum()
    kl = -0.5 * (lv + 1 - mu * mu - lv.exp()).sum()
    return (rec + kl) / B


def make_step(kind, P, I):
    """A fresh model from the weights P and its step(); step() returns the loss(es) as tensors."""
    if kind == "GAN":
        m = GAN(P)
        optD = torch.optim.Adam(m.discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
        optG = torch.optim.Adam(m.generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
        x = I["x"].reshape(-1, 1, 28, 28)
        D, G = m.discriminator, m.generator

        def step():
            # L_D = bce(D(x), 1) + bce(D(G(z)), 0) with G(z) fixed; then L_G = bce(D(G(z2)), 1)
            optD.zero_grad(set_to_none=True)
            with torch.no_grad():
                fake = G(I["z"])
            ld = bce(D(x), 1.0).mean() + bce(D(fake), 0.0).mean()
            ld.backward()
            optD.step()
            optG.zero_grad(set_to_none=True)
            lg = bce(D(G(I["z2"])), 1.0).mean()
            lg.backward()
            optG.step()
            return ld, lg
        return step
    if kind == "VAE128":
        V = {k: nn.Parameter(t(v)) for k, v in P.items()}
        params, loss = list(V.values()), (lambda: _vae128_loss(V, I))
    else:
        m = {"VAE": VAE, "CVAE": CVAE, "GMVAE": GMVAE, "NICE": NICE}[kind](P)
        params, loss = list(m.parameters()), (lambda: m.loss(I))
    opt = torch.optim.Adam(params, lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        l = loss()
        l.backward()
        opt.step()
        return (l,)
    return step


def setup(kind, data, threads=2):
    """Check two steps against latentkit's losses, then return the timed step of a fresh model."""
    torch.set_num_threads(threads)
    P = {k[2:]: v for k, v in data.items() if k.startswith("p.")}
    I = {k[3:]: t(v) for k, v in data.items() if k.startswith("in.")}
    expected = [float(v) for v in data["expected"]]
    check = make_step(kind, P, I)
    got = []
    for _ in range(len(expected) // (2 if kind == "GAN" else 1)):
        got += [float(l) for l in check()]
    bad = [(g, e) for g, e in zip(got, expected) if not abs(g - e) <= RTOL * abs(e)]
    if len(got) != len(expected) or bad:
        raise RuntimeError(f"loss mismatch: torch {['%.6g' % g for g in got]} vs latentkit {['%.6g' % e for e in expected]} "
                           f"(over {RTOL:g} relative): the torch model is not doing latentkit's step")
    return make_step(kind, P, I)
