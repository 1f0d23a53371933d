/** Print detectCodes' pass trace and results for files: node dist/src/codes/tools/diag.js FILE... */
import { readFileSync } from "node:fs";
import { detectCodes, type DetectDiagnostics } from "../detect.js";

for (const file of process.argv.slice(2)) {
  const diag: DetectDiagnostics = { trace: [], decodeMs: 0, totalMs: 0 };
  try {
    const codes = await detectCodes(new Uint8Array(readFileSync(file)), { maxCodes: 5 }, diag);
    console.log(file, `decode ${diag.decodeMs.toFixed(0)} total ${diag.totalMs.toFixed(0)} ms`, diag.trace.join(" "));
    for (const c of codes) console.log("   ", c.Format, JSON.stringify(c.Content).slice(0, 60), c.Confidence, JSON.stringify(c.Boundary));
  } catch (e) {
    console.log(file, "ERROR", e);
  }
}
