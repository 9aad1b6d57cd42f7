import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BreakdownCsvReportExporter, exporterFor } from '../../../main/report';
import { selectAll } from '../../../main/store';
import { buildStore } from '../../helpers/buildStore';
import { eventsOf } from './loadedTraceOf';

async function csvOf(events: Parameters<typeof buildStore>[0]): Promise<string> {
  const store = buildStore(events);
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  const source = {
    file: 'x',
    format: 'perf-script' as const,
    kernel: { release: null, table: null, source: 'none' as const, detail: '' },
    meta: {},
    skippedLines: 0,
    warnings: [],
    aggregates: { drops: 0, locations: {} },
    filter: null,
  };
  await new BreakdownCsvReportExporter().write({ store, selection: selectAll(store), source }, out);
  return text;
}

describe('BreakdownCsvReportExporter', () => {
  it('is registered as the breakdown-csv data exporter', () => {
    expect(exporterFor('breakdown-csv')).toBeInstanceOf(BreakdownCsvReportExporter);
  });

  it('writes one row per reason × location cell, largest first, with its share', async () => {
    const csv = await csvOf([
      ...eventsOf(3, 'NO_SOCKET', 'udp_rcv+0x1'),
      ...eventsOf(1, 'NO_SOCKET', 'tcp_v4_rcv+0x91'),
      ...eventsOf(4, 'NETFILTER_DROP', 'nf_hook_slow,odd "name"'),
    ]);
    expect(csv.trimEnd().split('\n')).toEqual([
      'reason,location,count,percent_of_total',
      'NETFILTER_DROP,"nf_hook_slow,odd ""name""",4,50.000',
      'NO_SOCKET,udp_rcv+0x1,3,37.500',
      'NO_SOCKET,tcp_v4_rcv+0x91,1,12.500',
    ]);
  });

  it('writes only the header for an empty selection', async () => {
    expect(await csvOf([])).toBe('reason,location,count,percent_of_total\n');
  });
});
