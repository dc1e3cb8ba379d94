/**
 * Downloads a file a user sent, from the Bot API's file endpoint
 * (`<api root>/file/bot<token>/<file_path>`, after getFile). The URL holds the token, so it is never
 * logged or put in an error message.
 */
import { ReportFileError } from '../errors';

const TELEGRAM_API_ROOT = 'https://api.telegram.org';
/** A 20 MB file over a slow link still arrives well within this. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Fetches the file at `filePath`; refuses it once it grows past `maxBytes`. */
export type DownloadFile = (filePath: string, maxBytes: number) => Promise<Buffer>;

export function createFileDownloader(token: string, apiRoot?: string | null): DownloadFile {
  const root = (apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');
  return async (filePath, maxBytes) => {
    const url = `${root}/file/bot${token}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    } catch (err) {
      // The cause would carry the URL; keep only its kind.
      throw new ReportFileError(`could not download the file from Telegram (${err instanceof Error ? err.name : 'network error'})`);
    }
    if (!res.ok || res.body === null) {
      await res.body?.cancel();
      throw new ReportFileError(`could not download the file from Telegram (HTTP ${res.status})`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new ReportFileError(`the download is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  };
}
