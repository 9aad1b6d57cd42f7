/**
 * Renders a report as PDF by printing the HTML report, through a swappable HTML → PDF engine:
 * headless Chromium through playwright-core for the CLI and browser mode
 * (`chromiumHtmlToPdf`), Electron's own `printToPDF` in the desktop app.
 */
import { HtmlReportRenderer } from './HtmlReportRenderer';
import type { ReportDocument } from './ReportData';
import type { ReportRenderer } from './ReportRenderer';

/**
 * Prints one self-contained HTML document to PDF (A4, backgrounds on) and resolves to its bytes.
 *
 * The desktop app implements this with `webContents.printToPDF`; the CLI with headless Chromium.
 */
export type HtmlToPdf = (html: string) => Promise<Uint8Array>;

/** Arguments for a headless Chromium that must not reach the network or update itself. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Page number footer drawn by Chromium in the bottom margin (plain inline HTML). */
const FOOTER_TEMPLATE =
  '<div style="width:100%;font-size:8px;color:#555;text-align:center;font-family:sans-serif">' +
  '<span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/**
 * An `HtmlToPdf` that launches the Chromium at `executablePath` for each document.
 *
 * playwright-core is imported on first use only, so commands that never print a PDF never load
 * it. Network requests from the page are refused (the report has none; this makes sure).
 * Launching takes about a second; the browser is closed before the promise settles.
 */
export function chromiumHtmlToPdf(executablePath: string): HtmlToPdf {
  return async (html: string): Promise<Uint8Array> => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath,
      args: [...CHROMIUM_ARGS],
      timeout: 60_000,
    });
    try {
      const page = await browser.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: FOOTER_TEMPLATE,
      });
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } finally {
      await browser.close();
    }
  };
}

/** Renders the PDF report: the HTML report printed by `htmlToPdf`. */
export class PdfReportRenderer implements ReportRenderer {
  readonly format = 'pdf' as const;
  readonly extension = 'pdf';

  constructor(
    private readonly htmlToPdf: HtmlToPdf,
    private readonly htmlRenderer = new HtmlReportRenderer(),
  ) {}

  render(report: ReportDocument): Promise<Uint8Array> {
    return this.htmlToPdf(this.htmlRenderer.html(report));
  }
}
