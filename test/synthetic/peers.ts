/**
 * External peer readers run as child processes: `ZXingReader` (Debian zxing-cpp-tools, native zxing-cpp
 * 1.4) and `zbarimg` (zbar-tools). Each call is bounded by a timeout; crashes count as "no result".
 */
import { execFile, execFileSync } from "node:child_process";
import { boundsOf, type Box } from "./geometry.js";
import type { FoundCode } from "./zxing.js";

export interface PeerRun {
  found: FoundCode[];
  ms: number;
  /** Set when the tool crashed, timed out or failed (stderr excerpt). */
  error?: string;
}

export interface Peer {
  readonly name: string;
  /** File extensions the tool can read (others must be converted to PNG first, untimed). */
  readonly reads: readonly string[];
  run(path: string, timeoutMs: number): Promise<PeerRun>;
}

export function which(cmd: string): string | undefined {
  try {
    return execFileSync("which", [cmd], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function runTool(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null; ms: number; killed: boolean }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(cmd, args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 << 20, encoding: "utf8" }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      resolve({ stdout, stderr, code: e ? (typeof e.code === "number" ? e.code : -1) : 0, ms, killed: Boolean(e?.killed) });
    });
  });
}

/** Parse ZXingReader's default (multi-line, one block per symbol) output. */
export function parseZXingReader(out: string): FoundCode[] {
  const found: FoundCode[] = [];
  const blocks = out.split(/^(?=Text:\s{2,}")/m).filter((b) => b.startsWith("Text:"));
  for (const block of blocks) {
    const text = /^Text:\s+"([\s\S]*?)"\nBytes:/m.exec(block)?.[1];
    if (text === undefined) continue;
    const format = /^Format:\s+(\S+)/m.exec(block)?.[1] ?? "?";
    const pos = /^Position:\s+(.*)$/m.exec(block)?.[1];
    let box: Box | undefined;
    if (pos) {
      const pts = [...pos.matchAll(/(-?\d+)x(-?\d+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
      if (pts.length === 4) box = boundsOf(pts);
    }
    found.push(box ? { text, format, box } : { text, format });
  }
  return found;
}

/** Parse `zbarimg --xml` output (zbar reports no positions). */
export function parseZbarXml(out: string): FoundCode[] {
  const found: FoundCode[] = [];
  for (const m of out.matchAll(/<symbol type='([^']*)'[^>]*>\s*<data([^>]*)><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g)) {
    const attrs = m[2] ?? "";
    const raw = m[3] ?? "";
    const text = /format='base64'/.test(attrs) ? Buffer.from(raw, "base64").toString("utf8") : raw;
    found.push({ text, format: m[1] ?? "?" });
  }
  return found;
}

export function zxingReaderPeer(): Peer | undefined {
  const bin = which("ZXingReader");
  if (!bin) return undefined;
  return {
    name: "ZXingReader",
    reads: ["png", "jpg", "jpeg"], // stb_image: no WebP
    async run(path, timeoutMs) {
      const r = await runTool(bin, [path], timeoutMs);
      const found = parseZXingReader(r.stdout);
      // Debian's 1.4 build aborts (assertion in Result::operator==) on some multi-symbol images.
      const error = r.killed ? "timeout" : r.code !== 0 ? `exit ${r.code}: ${r.stderr.split("\n")[0]?.slice(0, 120) ?? ""}` : undefined;
      return error ? { found, ms: r.ms, error } : { found, ms: r.ms };
    },
  };
}

export function zbarPeer(): Peer | undefined {
  const bin = which("zbarimg");
  if (!bin) return undefined;
  return {
    name: "zbarimg",
    reads: ["png", "jpg", "jpeg", "webp"],
    async run(path, timeoutMs) {
      const r = await runTool(bin, ["--xml", "-q", "--nodbus", path], timeoutMs);
      // Exit 4 = no symbol found: a normal outcome.
      const error = r.killed ? "timeout" : r.code !== 0 && r.code !== 4 ? `exit ${r.code}: ${r.stderr.split("\n")[0]?.slice(0, 120) ?? ""}` : undefined;
      const found = parseZbarXml(r.stdout);
      return error ? { found, ms: r.ms, error } : { found, ms: r.ms };
    },
  };
}
