/**
 * Image-processing benchmark: Barbucket's x-oss-process next to `vipsthumbnail` (Debian
 * `libvips-tools`) on the same 12 MP JPEG, in the same run.
 *
 *   npm run bench:img                       # builds, starts its own server on a temp dir
 *   node dist/bench/img.js --runs 20 --concurrency 2
 *
 * Scenarios: a JPEG thumbnail to 800 px wide (Q 80), the same as WebP (format conversion), and the
 * thumbnail with a text watermark. The peer for all three is vipsthumbnail writing the same size
 * and format (it has no watermark: that row shows what the watermark adds over the plain resize).
 * Method: after one uncounted warm-up each, `--runs` sequential requests give the per-request
 * time (mean, p50); then `--concurrency` clients (default 2, the cores here) run `--runs` each for
 * the throughput. Barbucket is asked over HTTP with presigned URLs (keep-alive; no signing in the
 * loop; the server's result cache is bypassed by a distinct, equivalent plan per request); the peer
 * is one vipsthumbnail process per image, process start included. Other load on the machine hits
 * both alike: compare the ratio, not the absolutes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { ROOT_KEY_ID, ROOT_KEY_SECRET, startServer } from "../test/integration/harness.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => any; // ships no types
const BUCKET = "bench-img";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "12" }, concurrency: { type: "string", default: "2" } } });
const RUNS = Math.max(1, Number(args.runs));
const CONCURRENCY = Math.max(1, Number(args.concurrency));

/** A photo-like 4000×3000 JPEG: smooth gradients plus sensor-like noise (compresses like a photo). */
async function photo12mp(): Promise<Buffer> {
  const W = 4000;
  const H = 3000;
  const px = Buffer.alloc(W * H * 3);
  let seed = 17;
  for (let i = 0, y = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i += 3) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed >> 16) % 24;
      px[i] = (x * 200) / W + n;
      px[i + 1] = (y * 200) / H + n;
      px[i + 2] = 128 + 60 * Math.sin(x / 90) * Math.cos(y / 70) + n;
    }
  }
  return sharp(px, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function fetchBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      let n = 0;
      res.on("data", (d: Buffer) => (n += d.length));
      res.on("end", () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode}`))));
    }).on("error", reject);
  });
}

function run(cmd: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
    child.on("error", reject);
  });
}

interface Figures { meanMs: number; p50Ms: number; perSec: number }

async function measure(once: (i: number) => Promise<unknown>): Promise<Figures> {
  await once(-1);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await once(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, c) => {
    for (let i = 0; i < RUNS; i++) await once(1000 * (c + 1) + i);
  }));
  const seconds = (performance.now() - start) / 1000;
  return { meanMs: times.reduce((a, b) => a + b, 0) / times.length, p50Ms: times[Math.floor(times.length / 2)]!, perSec: (CONCURRENCY * RUNS) / seconds };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-img-"));
  const server = await startServer({ env: { BARBUCKET_CODES_WORKERS: String(CONCURRENCY) } });
  try {
    const jpeg = await photo12mp();
    const file = join(dir, "photo.jpg");
    writeFileSync(file, jpeg);
    const client = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://localhost:${server.ossPort}`, accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, bucket: BUCKET, sldEnable: true });
    await client.putBucket(BUCKET);
    await client.put("photo.jpg", jpeg);
    const text = Buffer.from("Barbucket").toString("base64url");
    // Each request gets its own plan so the result cache never answers: a crop wider than the image (a no-op,
    // clipped to the frame) or a watermark offset varies with the request.
    const scenarios: Array<{ name: string; process: (i: number) => string; peer: string[] }> = [
      { name: "thumbnail 800 px, JPEG", process: (i) => `image/crop,w_${4000 + i + 2}/resize,w_800/quality,Q_80`, peer: ["-s", "800x", "-o", join(dir, "t-%s.jpg[Q=80]")] },
      { name: "thumbnail 800 px → WebP", process: (i) => `image/crop,w_${4000 + i + 2}/resize,w_800/format,webp/quality,Q_80`, peer: ["-s", "800x", "-o", join(dir, "t-%s.webp[Q=80]")] },
      { name: "thumbnail + text watermark", process: (i) => `image/resize,w_800/watermark,text_${text},size_40,x_${10 + ((i + 1) % 4000)}/quality,Q_80`, peer: ["-s", "800x", "-o", join(dir, "w-%s.jpg[Q=80]")] },
    ];
    console.log(`12 MP JPEG (${(jpeg.length / 1e6).toFixed(1)} MB), ${RUNS} sequential runs, then ${CONCURRENCY}×${RUNS} concurrent; vipsthumbnail = one process per image`);
    console.log(["scenario", "impl", "mean ms", "p50 ms", "img/s", "ratio (time)"].join(" | "));
    for (const s of scenarios) {
      const ours = await measure((i) => fetchBytes(client.signatureUrl("photo.jpg", { expires: 600, process: s.process(i) })));
      const peer = await measure(() => run("vipsthumbnail", [file, ...s.peer]));
      const row = (impl: string, f: Figures, ratio: string) => console.log([s.name, impl, f.meanMs.toFixed(1), f.p50Ms.toFixed(1), f.perSec.toFixed(2), ratio].join(" | "));
      row("barbucket (HTTP)", ours, `${(ours.meanMs / peer.meanMs).toFixed(2)}×`);
      row("vipsthumbnail", peer, "1.00×");
    }
    const start = await measure(() => run("vipsthumbnail", ["--vips-version"]));
    console.log(`vipsthumbnail process start alone (--vips-version): mean ${start.meanMs.toFixed(1)} ms — part of every peer row`);
    console.log(`libvips: barbucket's sharp ${sharp.versions.vips}; vipsthumbnail's is the system one`);
  } finally {
    agent.destroy();
    await server.stop();
    server.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
