/**
 * Progress on stderr: on a terminal one redrawn bar ("[#####-----]  42%  3/7 files  label"), and the
 * finished items as lines above it; piped or redirected, only the plain lines (one per finished item).
 */
import type { CliIO } from "./main.js";

export interface ProgressOptions {
  /** Draw a bar (default: stderr is a TTY). */
  tty?: boolean;
  /** Where bars go (default process.stderr). */
  write?: (text: string) => void;
  width?: number;
}

export class Progress {
  private readonly tty: boolean;
  private readonly write: (text: string) => void;
  private readonly width: number;
  private drawn = false;
  private items = 0;
  private itemsDone = 0;
  private bytes = 0;
  private bytesDone = 0;
  private partial = new Map<string, number>();
  private lastDraw = 0;

  constructor(private readonly io: CliIO, options: ProgressOptions = {}) {
    this.tty = options.tty ?? process.stderr.isTTY === true;
    this.write = options.write ?? ((t) => process.stderr.write(t));
    this.width = options.width ?? 30;
  }

  /** Adds work still to do. */
  add(items: number, bytes = 0): void {
    this.items += items;
    this.bytes += bytes;
    this.draw();
  }

  /** Bytes done so far of one item (multipart uploads report fractions). */
  update(label: string, bytesDone: number): void {
    this.partial.set(label, bytesDone);
    const now = Date.now();
    if (now - this.lastDraw < 100) return; // at most 10 redraws a second
    this.lastDraw = now;
    this.draw(label);
  }

  /** An item is finished: its line, and its bytes counted. */
  done(line: string, bytes = 0, label?: string): void {
    if (label !== undefined) this.partial.delete(label);
    this.itemsDone++;
    this.bytesDone += bytes;
    this.clear();
    this.io.err(line);
    this.draw();
  }

  /** A failed item: its line; it counts as done for the bar. */
  fail(line: string, label?: string): void {
    this.done(line, 0, label);
  }

  end(): void {
    this.clear();
  }

  /** The bar's text (exported for tests). */
  line(label = ""): string {
    let partial = 0;
    for (const v of this.partial.values()) partial += v;
    const fraction = this.bytes > 0 ? Math.min(1, (this.bytesDone + partial) / this.bytes) : this.items > 0 ? this.itemsDone / this.items : 0;
    const filled = Math.round(fraction * this.width);
    const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
    return `[${"#".repeat(filled)}${"-".repeat(this.width - filled)}] ${pct}  ${this.itemsDone}/${this.items}${this.bytes > 0 ? `  ${humanSize(this.bytesDone + partial)}/${humanSize(this.bytes)}` : ""}${label ? `  ${label}` : ""}`;
  }

  private draw(label?: string): void {
    if (!this.tty || this.items === 0) return;
    this.write(`\r\x1b[K${this.line(label)}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.tty && this.drawn) this.write("\r\x1b[K");
    this.drawn = false;
  }
}

export function humanSize(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n}B` : `${v.toFixed(1)}${units[u]}`;
}
