/**
 * Checks a zip archive (DOCX) before a library unpacks it: a valid central directory, supported
 * compression, and a cap on the total uncompressed size. Each entry is inflated with a hard output
 * limit, so an archive whose headers understate its sizes is caught too (a zip bomb never fills memory).
 */
import { inflateRawSync } from 'node:zlib';
import { ReportFileError } from '../errors';

export interface ZipLimits {
  /** Total bytes all entries may inflate to. */
  maxUncompressedBytes: number;
  maxEntries: number;
}

/** A 20 MB text-heavy DOCX inflates to roughly 5–10×; anything far beyond that is a zip bomb. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 200 * 1024 * 1024, maxEntries: 5000 };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

function corrupt(detail: string): ReportFileError {
  return new ReportFileError(`corrupt file (not a valid zip archive: ${detail})`);
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const stop = Math.max(0, buf.length - EOCD_SIZE - MAX_COMMENT);
  for (let i = buf.length - EOCD_SIZE; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  return -1;
}

/**
 * Throws a ReportFileError naming the problem when `buf` is not a usable zip archive or would
 * inflate beyond the limits; returns the total uncompressed size otherwise.
 */
export function checkZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): number {
  if (buf.length < EOCD_SIZE) throw corrupt('too short');
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) throw corrupt('no end of central directory');
  const entries = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw new ReportFileError('ZIP64 archives are not supported');
  if (entries > limits.maxEntries) throw new ReportFileError(`zip archive with ${entries} entries (more than ${limits.maxEntries}): refused as a possible zip bomb`);
  if (cdOffset + cdSize > buf.length) throw corrupt('central directory outside the file');

  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw corrupt('damaged central directory');
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const declared = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    at += 46 + nameLength + extraLength + commentLength;

    const budget = limits.maxUncompressedBytes - total;
    if (declared > budget) throw zipBomb(limits);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL_SIGNATURE) throw corrupt('damaged entry header');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (dataStart + compressed > buf.length) throw corrupt('entry outside the file');
    const data = buf.subarray(dataStart, dataStart + compressed);
    if (method === STORED) total += compressed;
    else if (method === DEFLATED) total += inflatedSize(data, budget, limits);
    else throw new ReportFileError(`zip archive uses an unsupported compression method (${method})`);
    if (total > limits.maxUncompressedBytes) throw zipBomb(limits);
  }
  return total;
}

function zipBomb(limits: ZipLimits): ReportFileError {
  const mb = Math.round(limits.maxUncompressedBytes / (1024 * 1024));
  return new ReportFileError(`unpacks to more than ${mb} MB: refused as a possible zip bomb`);
}

function inflatedSize(data: Buffer, budget: number, limits: ZipLimits): number {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw zipBomb(limits);
    throw corrupt('an entry does not inflate');
  }
}
