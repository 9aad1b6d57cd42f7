import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../main/engine';
import { assembleReport, HtmlReportRenderer, PdfReportRenderer } from '../../../main/report';
import { eventsOf, loadedTraceOf } from './loadedTraceOf';

describe('PdfReportRenderer', () => {
  it('prints the HTML report through the HTML → PDF engine it is given', async () => {
    const report = assembleReport([
      buildReportData(loadedTraceOf(eventsOf(2, 'NO_SOCKET', 'x+0x1')), {}, null),
    ]);
    const printed: string[] = [];
    const renderer = new PdfReportRenderer((html) => {
      printed.push(html);
      return Promise.resolve(new Uint8Array([0x25, 0x50, 0x44, 0x46]));
    });
    const pdf = await renderer.render(report);
    expect(Array.from(pdf)).toEqual([0x25, 0x50, 0x44, 0x46]);
    expect(printed).toEqual([new HtmlReportRenderer().html(report)]);
  });
});
