"""The analyzer network: a byte-level encoder (byte embedding -> two stride-2 convolutions (x4
downsampling) -> small pre-LN transformer -> heads). Outputs follow the model contract:
span_logits [B, T, S] per byte position, category_logits [B, C], embedding [B, 384] (L2-normalised).

Real positions' outputs do not depend on how much padding follows them (features are zeroed at padded
positions after every convolution, attention masks padded tokens), so batching windows of different
lengths gives the same results as running them one by one."""
from __future__ import annotations

import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F

from .text import VOCAB_SIZE, SPAN_LABELS, CATEGORIES


@dataclass
class ModelConfig:
    byte_dim: int = 48
    conv_dim: int = 96
    d_model: int = 160
    n_layers: int = 3
    n_heads: int = 4
    ffn: int = 384
    max_tokens: int = 272  # downsampled positions (max_len 1024 / 4 = 256, with margin)
    max_len: int = 1024  # tokenizer window incl. CLS/SEP
    # Windows start every `stride` bytes, so consecutive windows overlap by max_len - 2 - stride = 126 bytes.
    # 896 since 2026-11-26 (was 768, 254 bytes of overlap): 7% fewer model positions on validation-like CSV
    # rows with the same `npm run eval` figures (docs/benchmarks.md).
    stride: int = 896
    emb_dim: int = 384
    n_spans: int = len(SPAN_LABELS)
    n_cats: int = len(CATEGORIES)
    dropout: float = 0.1
    ngram_buckets: int = 0  # >0: hashed byte 3/4/5-gram bag (fastText-like) feeding the category head
    ngram_dim: int = 32

    def to_dict(self):
        return asdict(self)


TINY = ModelConfig(byte_dim=16, conv_dim=32, d_model=32, n_layers=1, n_heads=2, ffn=64, dropout=0.0,
                   max_tokens=160, max_len=512, stride=384)


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        d = cfg.d_model
        self.h = cfg.n_heads
        self.dh = d // cfg.n_heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, cfg.ffn)
        self.ff2 = nn.Linear(cfg.ffn, d)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x, bias):
        # x [B, T, d]; bias [B, 1, 1, T] additive (0 real, -1e4 pad)
        B, T, d = x.shape
        h = self.ln1(x)
        qkv = self.qkv(h).reshape(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.dh)) + bias
        att = torch.softmax(att, dim=-1)
        o = torch.matmul(att, v).transpose(1, 2).reshape(B, T, d)
        x = x + self.drop(self.proj(o))
        x = x + self.drop(self.ff2(F.gelu(self.ff1(self.ln2(x)))))
        return x


class Analyzer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(VOCAB_SIZE, cfg.byte_dim, padding_idx=0)
        self.local = nn.Conv1d(cfg.byte_dim, cfg.byte_dim, 5, padding=2)
        self.conv1 = nn.Conv1d(cfg.byte_dim, cfg.conv_dim, 5, stride=2, padding=2)
        self.conv2 = nn.Conv1d(cfg.conv_dim, cfg.d_model, 5, stride=2, padding=2)
        self.pos = nn.Embedding(cfg.max_tokens, cfg.d_model)
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layers)])
        self.ln_f = nn.LayerNorm(cfg.d_model)
        # span head (byte resolution)
        self.up = nn.Linear(cfg.d_model, cfg.byte_dim)
        self.span_conv = nn.Conv1d(cfg.byte_dim, cfg.byte_dim, 3, padding=1)
        self.span_out = nn.Linear(cfg.byte_dim, cfg.n_spans)
        # pooled heads
        self.pool_cat = nn.Linear(cfg.d_model, 1)
        self.pool_emb = nn.Linear(cfg.d_model, 1)
        self.cat_hidden = nn.Linear(2 * cfg.d_model, cfg.d_model)
        self.cat_out = nn.Linear(cfg.d_model, cfg.n_cats)
        self.emb_out = nn.Linear(cfg.d_model, cfg.emb_dim)
        if cfg.ngram_buckets > 0:
            self.ngram_table = nn.Embedding(cfg.ngram_buckets, cfg.ngram_dim)
            nn.init.normal_(self.ngram_table.weight, std=0.02)
            self.ngram_hidden = nn.Linear(cfg.ngram_dim, 64)
            self.ngram_out = nn.Linear(64, cfg.n_cats)
            nn.init.zeros_(self.ngram_out.weight)
            nn.init.zeros_(self.ngram_out.bias)

    def ngram_features(self, input_ids, m0):
        """Mean of hashed byte 3/4/5-gram embeddings over real positions (ASCII letters lower-cased)."""
        x = F.pad(input_ids, (0, 4), value=0)  # so that every n-gram slice exists for short windows
        m0 = F.pad(m0, (0, 4), value=0.0)
        upper = ((x >= 65 + 4) & (x <= 90 + 4)).to(torch.int64)
        x = x + 32 * upper
        K = self.cfg.ngram_buckets
        total = None
        count = None
        for n, mults in ((3, (1000003, 10007, 101)), (4, (999983, 100003, 1009, 13)), (5, (999979, 99991, 10009, 997, 7))):
            L = x.shape[1]
            h = torch.zeros_like(x[:, : L - n + 1])
            v = torch.ones_like(m0[:, : L - n + 1])
            for k in range(n):
                h = h + x[:, k: L - n + 1 + k] * mults[k]
                v = v * m0[:, k: L - n + 1 + k]
            h = torch.remainder(h + n * 7919, K)
            e = self.ngram_table(h) * v.unsqueeze(-1)
            s = e.sum(1)
            c = v.sum(1, keepdim=True)
            total = s if total is None else total + s
            count = c if count is None else count + c
        return total / count.clamp(min=1.0)

    @staticmethod
    def _attn_pool(score_layer, x, m):
        # x [B,T,d], m [B,T] float
        s = score_layer(x).squeeze(-1) + (1.0 - m) * -1e4
        w = torch.softmax(s, dim=-1).unsqueeze(-1)
        return (w * x).sum(1)

    def encode(self, input_ids, attention_mask):
        m0 = attention_mask.to(torch.float32)  # [B, L]
        L = input_ids.shape[1]
        e = self.emb(input_ids) * m0.unsqueeze(-1)  # [B, L, bd]
        e = e.transpose(1, 2)  # [B, bd, L]
        loc = F.gelu(self.local(e)) * m0.unsqueeze(1)
        m1 = m0[:, ::2]
        h = F.gelu(self.conv1(loc + e)) * m1.unsqueeze(1)
        m2 = m1[:, ::2]
        h = F.gelu(self.conv2(h)) * m2.unsqueeze(1)  # [B, d, T]
        h = h.transpose(1, 2)  # [B, T, d]
        T = h.shape[1]
        pos = torch.arange(T, device=input_ids.device)
        h = h + self.pos(pos).unsqueeze(0)
        bias = ((1.0 - m2) * -1e4).unsqueeze(1).unsqueeze(1)
        for blk in self.blocks:
            h = blk(h, bias)
        h = self.ln_f(h)
        return h, loc, m0, m2, L

    def forward(self, input_ids, attention_mask):
        h, loc, m0, m2, L = self.encode(input_ids, attention_mask)
        B, T, d = h.shape
        # span logits: upsample global features x4 (nearest) and add local byte features
        g = self.up(h)  # [B, T, bd]
        g = g.unsqueeze(2).expand(B, T, 4, g.shape[-1]).reshape(B, T * 4, g.shape[-1])[:, :L, :]
        z = F.gelu(g + loc.transpose(1, 2))  # [B, L, bd]
        z = z * m0.unsqueeze(-1)
        z = F.gelu(self.span_conv(z.transpose(1, 2))).transpose(1, 2) + z
        span_logits = self.span_out(z)
        # category logits
        mean = (h * m2.unsqueeze(-1)).sum(1) / m2.sum(1, keepdim=True).clamp(min=1.0)
        att = self._attn_pool(self.pool_cat, h, m2)
        c = F.gelu(self.cat_hidden(torch.cat([mean, att], dim=-1)))
        category_logits = self.cat_out(c)
        if self.cfg.ngram_buckets > 0:
            g = self.ngram_features(input_ids, m0)
            category_logits = category_logits + self.ngram_out(F.gelu(self.ngram_hidden(g)))
        # embedding
        ev = self.emb_out(self._attn_pool(self.pool_emb, h, m2))
        embedding = ev / torch.sqrt((ev * ev).sum(-1, keepdim=True) + 1e-12)
        return span_logits, category_logits, embedding


def param_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
