import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_PRICES, loadPrices, makeBill, priceOf } from "./prices.js";
import { parseUsageQuery, parseTime } from "./report.js";

describe("prices", () => {
  it("the most specific key wins, then the item", () => {
    assert.equal(priceOf(DEFAULT_PRICES, "GetRequest", "Standard")?.unitPrice, 0.01);
    assert.equal(priceOf(DEFAULT_PRICES, "GetRequest", "IA")?.unitPrice, 0.1);
    assert.equal(priceOf(DEFAULT_PRICES, "AccelerationBytes", "oss-accelerate-overseas.aliyuncs.com")?.unitPrice, 1.25);
  });

  it("bills quantity / unitSize × unitPrice per line, total rounded to 9 decimals", () => {
    const bill = makeBill([
      { item: "GetRequest", dimension: "Standard", quantity: 20_000 },
      { item: "PutRequest", dimension: "IA", quantity: 5_000 },
      { item: "EgressBytes", dimension: "internet", quantity: 2 * 1024 ** 3 },
      { item: "EgressBytes", dimension: "internal", quantity: 1024 ** 3 },
      { item: "RetrievalBytes", dimension: "ia", quantity: 1024 ** 3 },
      { item: "ImageQRCodes", dimension: "", quantity: 3 },
    ], DEFAULT_PRICES);
    assert.deepEqual(bill.lines.map((l) => l.amount), [0.02, 0.05, 1, 0, 0.0325, 0.0024]);
    assert.equal(bill.total, 1.1049);
    assert.equal(bill.currency, "CNY");
  });

  it("prices storage per class per GB-month, prorated by the hour (720 h a month)", () => {
    const GB = 1024 ** 3;
    // 10 GB of Standard for a whole 30-day month of hourly snapshots; 1 GB of IA for one hour; 2 GB ColdArchive for 360 h.
    const bill = makeBill([
      { item: "Storage", dimension: "Standard", quantity: 10 * GB * 720 },
      { item: "Storage", dimension: "IA", quantity: GB },
      { item: "Storage", dimension: "ColdArchive", quantity: 2 * GB * 360 },
    ], DEFAULT_PRICES);
    assert.deepEqual(bill.lines.map((l) => [l.unit, l.unitPrice, l.amount]), [["GB-month", 0.12, 1.2], ["GB-month", 0.08, 0.000111111], ["GB-month", 0.015, 0.015]]);
    for (const cls of ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"]) assert.ok(DEFAULT_PRICES.prices[`Storage:${cls}`], cls);
  });

  it("a price file overrides entries and is validated", () => {
    const dir = mkdtempSync(join(tmpdir(), "barbucket-prices-"));
    try {
      const file = join(dir, "p.json");
      writeFileSync(file, JSON.stringify({ currency: "USD", prices: { ImageQRCodes: { unit: "1,000 calls", unitSize: 1000, unitPrice: 0.1132075 } } }));
      const table = loadPrices(file);
      assert.equal(table.currency, "USD");
      assert.equal(priceOf(table, "ImageQRCodes", "")?.unitPrice, 0.1132075);
      assert.equal(priceOf(table, "GetRequest", "Standard")?.unitPrice, 0.01);
      writeFileSync(file, JSON.stringify({ prices: { Bogus: { unit: "x", unitSize: 1, unitPrice: 1 } } }));
      assert.throws(() => loadPrices(file), /unknown billing item/);
      writeFileSync(file, JSON.stringify({ prices: { GetRequest: { unit: "x", unitSize: 0, unitPrice: 1 } } }));
      assert.throws(() => loadPrices(file), /unitSize > 0/);
      assert.throws(() => loadPrices(join(dir, "missing.json")), /BARBUCKET_PRICES: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("usage query parameters", () => {
  it("accepts ISO times and epoch ms", () => {
    assert.equal(parseTime("2026-11-25T10:00:00Z"), Date.parse("2026-11-25T10:00:00Z"));
    assert.equal(parseTime("1700000000000"), 1700000000000);
    assert.equal(parseTime("yesterday"), undefined);
    assert.equal(parseTime("12abc"), undefined);
  });
  it("rejects missing, reversed, huge ranges and bad bucket names", () => {
    assert.match(parseUsageQuery({ from: "1" }) as string, /required/);
    assert.match(parseUsageQuery({ from: "x", to: "2" }) as string, /from is not/);
    assert.match(parseUsageQuery({ from: "5", to: "5" }) as string, /after/);
    assert.match(parseUsageQuery({ from: "0", to: String(10 * 366 * 86400000) }) as string, /3 years/);
    assert.match(parseUsageQuery({ from: "0", to: "5", bucket: "Bad_Name" }) as string, /bucket/);
    assert.deepEqual(parseUsageQuery({ from: "0", to: "5", bucket: "" }), { bucket: undefined, from: 0, to: 5 });
  });
});
