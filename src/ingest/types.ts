/** The file formats a report can come in, each read by its own reader. */
export type ReportFormat = 'pdf' | 'html' | 'docx' | 'markdown' | 'text';

/** What is known about a report besides its text. Every field may be unknown (null). */
export interface ReportMeta {
  title: string | null;
  /** Publication date as ISO `YYYY-MM-DD`. */
  date: string | null;
  /** Link to the original (http or https). */
  url: string | null;
  author: string | null;
}

/** A report file's text as one reader extracted it, with the metadata found in the file itself. */
export interface ExtractedReport {
  format: ReportFormat;
  /** The extracted text; quotes are verbatim slices of it. */
  text: string;
  meta: ReportMeta;
  /** Offsets in `text` where each page starts (PDF), else null. */
  pageStarts: number[] | null;
}

/** A report read from the reports folder. */
export interface Report {
  /** Path relative to the reports folder, with forward slashes. */
  path: string;
  /** Stable display id derived from the path alone ("003", "isw-update"), never from file order. */
  label: string;
  format: ReportFormat;
  /** Extracted text (BOM removed, LF line ends). All passage offsets index into this string. */
  text: string;
  /** sha256 of `text`, hex. */
  hash: string;
  /** sha256 of the file's bytes and its sidecar's: what decides whether the index is out of date. */
  sourceHash: string;
  /** Title from the sidecar or the file's metadata, else derived from the text, else the file name. */
  title: string;
  /** ISO `YYYY-MM-DD`, or null when neither metadata nor the first lines give one. */
  date: string | null;
  url: string | null;
  author: string | null;
  /** Offsets in `text` where each page starts (PDF), else null. */
  pageStarts: number[] | null;
}

/** What splitting a report into passages needs from it. */
export type ReportText = Pick<Report, 'path' | 'text'>;

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
