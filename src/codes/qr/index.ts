/** A QR locator and rectifier for photos zxing's own detector misses; see README.md beside this file. */
export { locateQrCodes, type LocateOptions, type QrLocation } from "./locate.js";
export { DEFAULT_VARIANTS, readQrCodes, rectifyQr, VARIANTS, type QrRead, type QrReadStats, type ReadQrOptions } from "./read.js";
