/** A report read from the reports folder. */
export interface Report {
  /** Path relative to the reports folder, with forward slashes. */
  path: string;
  /** Decoded text (BOM removed). All passage offsets index into this string. */
  text: string;
  /** sha256 of `text`, hex. */
  hash: string;
  /** Human title derived from the report (first meaningful line or heading), else the file name. */
  title: string;
}

/** A quotable span of a report. `report.text.slice(start, end) === text`. */
export interface Passage {
  /** Stable id: derived from the source path and the passage text (12 hex chars). */
  id: string;
  source: string;
  start: number;
  end: number;
  /** 1-based number of the paragraph (non-blank line block) where the passage starts. */
  paragraph: number;
  /** Nearest section heading above the passage, if any. */
  heading: string | null;
  text: string;
  /** True when the passage is part of a reader-comment thread rather than the report itself. */
  comment?: boolean;
}

export interface ChunkingSettings {
  minWords: number;
  targetWords: number;
  maxWords: number;
  /** Lines with fewer words than this are merged into neighbours or dropped. */
  shortLineWords: number;
  /** Passages whose token-shingle Jaccard similarity reaches this are near duplicates. */
  nearDuplicateJaccard: number;
}
