/**
 * The desktop app's `HtmlToPdf`: prints a report with Electron's own Chromium
 * (`webContents.printToPDF`) in a hidden window that is sandboxed, has no preload, runs no
 * script and reaches no network — the report is one self-contained HTML document.
 */
import { BrowserWindow, session } from 'electron';
import type { HtmlToPdf } from '../engine';

/** Partition of the printing windows: an in-memory session of its own, refusing every request. */
const PRINT_PARTITION = 'dropscope-print';

/** Prints `html` to an A4 PDF in a hidden, sandboxed window; resolves to its bytes. */
export const electronHtmlToPdf: HtmlToPdf = async (html) => {
  const printSession = session.fromPartition(PRINT_PARTITION);
  // Only the data: URL of the document itself loads; nothing else (the report has nothing else).
  printSession.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !details.url.startsWith('data:') }),
  );
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      session: printSession,
    },
  });
  try {
    await window.loadURL(
      `data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`,
    );
    const pdf = await window.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
    });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    window.destroy();
  }
};
