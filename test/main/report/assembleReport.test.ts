import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../../main/engine';
import { VERSION } from '../../../main/cli/runCli';
import { assembleReport, REPORT_DROPSCOPE_VERSION } from '../../../main/report';
import { repoRoot } from '../../helpers/samples';
import { eventsOf, loadedTraceOf } from './loadedTraceOf';

describe('assembleReport', () => {
  const a = buildReportData(
    loadedTraceOf(
      [...eventsOf(3, 'NO_SOCKET', 'udp_rcv+0x1'), ...eventsOf(1, 'TCP_CSUM', 'tcp_v4_rcv+0x1')],
      { file: '/captures/a.txt' },
    ),
    {},
    null,
  );
  const b = buildReportData(
    loadedTraceOf([...eventsOf(2, 'TCP_CSUM', 'tcp_v4_rcv+0x1')], { file: 'b.txt' }),
    {},
    null,
  );

  it('sums reasons and locations over the traces, with the count of each trace', () => {
    const report = assembleReport([a, b]);
    expect(report.combined.events).toBe(6);
    expect(report.combined.reasons).toEqual([
      { key: 'NO_SOCKET', count: 3, percent: 50, perTrace: [3, 0] },
      { key: 'TCP_CSUM', count: 3, percent: 50, perTrace: [1, 2] },
    ]);
    expect(report.combined.locations.map((l) => [l.key, l.count])).toEqual([
      ['tcp_v4_rcv+0x1', 3],
      ['udp_rcv+0x1', 3],
    ]);
  });

  it('titles the report after the file unless given a title', () => {
    expect(assembleReport([a]).title).toBe('Packet drops in a.txt');
    expect(assembleReport([a, b]).title).toBe('Packet drops in 2 traces');
    expect(assembleReport([a], '  Ticket 42 ').title).toBe('Ticket 42');
  });

  it('writes the same version as the CLI prints, which is package.json’s', () => {
    const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(REPORT_DROPSCOPE_VERSION).toBe(VERSION);
    expect(assembleReport([a]).dropscopeVersion).toBe(VERSION);
  });
});
