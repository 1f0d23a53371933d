import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { binRows, boxBlur, downscale, extremeFilter, flattenLight, localNormalize, median3, stretchContrast, unsharp, upscale2 } from "./image-ops.js";
import type { GrayImage } from "./zxing.js";

const img = (w: number, h: number, f: (x: number, y: number) => number): GrayImage => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { data, width: w, height: h };
};
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
/** Vertical bars, 6 px period: a clean 1D-like pattern. */
const bars = (w = 240, h = 120) => img(w, h, (x) => (Math.floor(x / 3) % 2 ? 220 : 40));

describe("downscale", () => {
  it("averages f×f blocks with rounding, dropping the right/bottom remainder (f = 2 has its own loop)", () => {
    const src = img(37, 23, () => Math.floor(rand() * 256));
    for (const f of [2, 3, 4]) {
      const out = downscale(src, f);
      assert.deepEqual([out.width, out.height], [Math.floor(37 / f), Math.floor(23 / f)]);
      for (let y = 0; y < out.height; y++) for (let x = 0; x < out.width; x++) {
        let s = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += src.data[(y * f + dy) * 37 + x * f + dx]!;
        assert.equal(out.data[y * out.width + x], Math.floor((s + ((f * f) >> 1)) / (f * f)), `f ${f} at ${x},${y}`);
      }
    }
  });
});

describe("binRows", () => {
  it("averages k rows with rounding, keeps every column, drops the bottom remainder", () => {
    const src = img(29, 17, () => Math.floor(rand() * 256));
    for (const k of [2, 3]) {
      const out = binRows(src, k);
      assert.deepEqual([out.width, out.height], [29, Math.floor(17 / k)]);
      for (let y = 0; y < out.height; y++) for (let x = 0; x < 29; x++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += src.data[(y * k + j) * 29 + x]!;
        assert.equal(out.data[y * 29 + x], Math.floor((s + (k >> 1)) / k), `k ${k} at ${x},${y}`);
      }
    }
    assert.equal(binRows(src, 1), src);
  });
});

describe("boxBlur / unsharp", () => {
  it("box-averages over the pixels inside the image", () => {
    assert.deepEqual([...boxBlur({ data: Uint8Array.from([0, 0, 90, 0, 0]), width: 5, height: 1 }, 1).data], [0, 30, 30, 30, 0]);
    assert.deepEqual([...boxBlur({ data: Uint8Array.from([60, 0, 0]), width: 3, height: 1 }, 1).data], [30, 20, 0]);
  });

  it("unsharp steepens a soft edge and leaves flat areas alone", () => {
    const ramp = img(40, 4, (x) => clamp(40 + 180 / (1 + Math.exp(-(x - 20) / 2))));
    const out = unsharp(ramp, 3, 3);
    assert.equal(out.data[0], ramp.data[0]); // flat (clamped) start
    const slope = (g: GrayImage) => g.data[21]! - g.data[19]!;
    assert.ok(slope(out) > slope(ramp), `${slope(out)} > ${slope(ramp)}`);
  });
});

describe("median3", () => {
  it("equals a brute-force 3×3 median (edges replicated) on random images of every small size", () => {
    for (let w = 1; w <= 6; w++) for (let h = 1; h <= 5; h++) {
      const src = img(w, h, () => Math.floor(rand() * 256));
      const out = median3(src);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const v: number[] = [];
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
          v.push(src.data[Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))]!);
        }
        v.sort((a, b) => a - b);
        assert.equal(out.data[y * w + x], v[4], `${w}x${h} at ${x},${y}`);
      }
    }
  });

  it("removes salt-and-pepper from bars", () => {
    const clean = bars();
    const noisy = img(240, 120, (x, y) => (rand() < 0.05 ? (rand() < 0.5 ? 0 : 255) : clean.data[y * 240 + x]!));
    const wrong = (g: GrayImage) => g.data.reduce((n, v, i) => n + (Math.abs(v - clean.data[i]!) > 60 ? 1 : 0), 0);
    assert.ok(wrong(noisy) > 500);
    assert.ok(wrong(median3(noisy)) < wrong(noisy) / 3, `${wrong(median3(noisy))} vs ${wrong(noisy)}`);
  });
});

describe("stretchContrast", () => {
  it("takes its percentiles from the centre when asked (`inner`), so a bright margin does not set the stretch", () => {
    // Centre: faint bars 100/130; margin: white paper.
    const g = img(100, 100, (x, y) => (x < 20 || x >= 80 || y < 20 || y >= 80 ? 255 : Math.floor(x / 3) % 2 ? 130 : 100));
    const whole = stretchContrast(g), centre = stretchContrast(g, 0.01, 0.99, 0.6);
    const range = (s: GrayImage) => Math.abs(s.data[50 * 100 + 50]! - s.data[50 * 100 + 53]!);
    assert.ok(range(whole) < 60, `whole-image stretch keeps the bars faint (${range(whole)})`);
    assert.ok(range(centre) > 200, `centre stretch spreads them (${range(centre)})`);
  });
});

describe("localNormalize", () => {
  it("equals a brute-force window mean / standard deviation at every pixel (edges: the window inside the image)", () => {
    for (const [w, h, r] of [[1, 1, 0], [7, 3, 1], [13, 9, 4], [30, 20, 6], [5, 40, 12]] as const) {
      const src = img(w, h, () => Math.floor(rand() * 256));
      const out = localNormalize(src, r);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        let s1 = 0, s2 = 0, n = 0;
        for (let yy = Math.max(0, y - r); yy < Math.min(h, y + r + 1); yy++) for (let xx = Math.max(0, x - r); xx < Math.min(w, x + r + 1); xx++) {
          const v = src.data[yy * w + xx]!;
          s1 += v; s2 += v * v; n++;
        }
        const mean = s1 / n, sd = Math.sqrt(Math.max(0, s2 / n - mean * mean));
        const want = clamp(Math.trunc(Math.max(0, Math.min(255, 128 + (127 * (src.data[y * w + x]! - mean)) / (2 * sd + 4)))));
        assert.equal(out.data[y * w + x], want, `${w}x${h} r${r} at ${x},${y}`);
      }
    }
  });

  it("gives a washed-out half of a pattern the contrast of the other half", () => {
    const g = img(200, 60, (x) => (x < 100 ? (Math.floor(x / 4) % 2 ? 40 : 200) : Math.floor(x / 4) % 2 ? 225 : 245));
    const out = localNormalize(g, 10);
    const range = (x0: number) => { let lo = 255, hi = 0; for (let x = x0; x < x0 + 40; x++) { const v = out.data[30 * 200 + x]!; lo = Math.min(lo, v); hi = Math.max(hi, v); } return hi - lo; };
    assert.ok(range(140) > 0.8 * range(30), `faint half ${range(140)} vs strong half ${range(30)}`);
  });
});

describe("extremeFilter / flattenLight", () => {
  it("max and min over a clipped square window, as a brute-force scan gives them", () => {
    const w = 37, h = 23, data = new Uint8Array(w * h);
    let seed = 5;
    for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const img = { data, width: w, height: h };
    for (const r of [1, 3, 6]) {
      for (const max of [true, false]) {
        const got = extremeFilter(img, r, max).data;
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
          let want = max ? 0 : 255;
          for (let v = Math.max(0, y - r); v <= Math.min(h - 1, y + r); v++) for (let u = Math.max(0, x - r); u <= Math.min(w - 1, x + r); u++) {
            want = max ? Math.max(want, data[v * w + u]!) : Math.min(want, data[v * w + u]!);
          }
          assert.equal(got[y * w + x], want, `r ${r} ${max ? "max" : "min"} at ${x},${y}`);
        }
      }
    }
  });

  it("lifts a hard shadow: paper on both sides of its edge comes out alike, marks stay dark", () => {
    // Paper 220 left, 90 in the shadow right of x = 100; 6-px dark marks every 16 px at 40 % of the paper level.
    const w = 200, h = 120, data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const paper = x < 100 ? 220 : 90;
      data[y * w + x] = x % 16 < 6 && y % 16 < 6 ? Math.round(paper * 0.4) : paper;
    }
    const out = flattenLight({ data, width: w, height: h }, 12).data;
    const at = (x: number, y: number) => out[y * w + x]!;
    for (const [x, y] of [[40, 10], [90, 10], [106, 10], [170, 10]] as const) assert.ok(at(x, y) >= 240, `paper at ${x},${y}: ${at(x, y)}`);
    for (const [x, y] of [[34, 2], [82, 2], [114, 2], [162, 2]] as const) assert.ok(at(x, y) <= 115, `mark at ${x},${y}: ${at(x, y)}`);
  });
});

describe("upscale2", () => {
  it("doubles the size, keeps flat areas flat and a step edge between the same pair of (doubled) pixels", () => {
    const flat = upscale2(img(7, 5, () => 133));
    assert.equal(flat.width, 14);
    assert.equal(flat.height, 10);
    assert.ok(flat.data.every((v) => v === 133));
    const step = upscale2(img(10, 4, (x) => (x < 5 ? 40 : 220))); // the edge lies between x = 4 and 5
    for (let y = 0; y < step.height; y++) {
      const row = Array.from(step.data.subarray(y * 20, y * 20 + 20));
      assert.ok(row.slice(0, 9).every((v) => v < 130), `dark side ${row}`);
      assert.ok(row.slice(11).every((v) => v > 130), `light side ${row}`);
      assert.equal(row[9]! + row[10]!, 260, `symmetric about the edge: ${row}`);
    }
  });
  it("samples at the old pixels' quarter points: a linear ramp stays the same ramp at half the slope", () => {
    const up = upscale2(img(12, 3, (x) => 20 + 16 * x));
    for (let x = 4; x < 20; x++) assert.ok(Math.abs(up.data[up.width + x]! - (20 + 16 * (x / 2 - 0.25))) <= 0.5, `x ${x}: ${up.data[up.width + x]}`);
  });
});
