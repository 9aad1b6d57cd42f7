import { describe, expect, it } from 'vitest';
import type { IGetRowsParams } from 'ag-grid-community';
import type { DropRow, Page, SortSpec } from '../../../../shared/model';
import {
  CACHE_BLOCK_SIZE,
  createDropDatasource,
  sortFromModel,
} from '../../../../renderer/panels/grid/dropDatasource';
import { rowsAsTsv, DROP_COLUMNS } from '../../../../renderer/panels/grid/dropColumns';

function row(id: number): DropRow {
  return {
    id,
    timestampNs: 1_000_000_000 + id * 1000,
    cpu: 1,
    pid: 42,
    comm: 'ping\there',
    skbaddr: '0xffff1',
    rxSk: null,
    protocol: 0x0800,
    protocolName: 'IPv4',
    location: 'udp_queue_rcv_one_skb+0x153',
    reason: 'NO_SOCKET',
    reasonValue: 2,
    reasonSource: 'printed',
    callchain: null,
    line: id + 1,
    extra: null,
  };
}

function getRows(
  datasource: ReturnType<typeof createDropDatasource>,
  startRow: number,
  endRow: number,
  sortModel: IGetRowsParams['sortModel'] = [],
) {
  return new Promise<{ rows: DropRow[]; lastRow?: number }>((resolve, reject) => {
    datasource.getRows({
      startRow,
      endRow,
      sortModel,
      filterModel: {},
      successCallback: (rows: DropRow[], lastRow?: number) => resolve({ rows, lastRow }),
      failCallback: () => reject(new Error('failed')),
    } as unknown as IGetRowsParams);
  });
}

describe('dropDatasource', () => {
  it('asks one page per block, never larger than the block, and passes the total on', async () => {
    const requests: [number, number, SortSpec | null][] = [];
    const datasource = createDropDatasource((start, end, sort): Promise<Page> => {
      requests.push([start, end, sort]);
      return Promise.resolve({ rows: [row(start)], total: 12_345 });
    });
    const result = await getRows(datasource, 400, 600, [{ colId: 'reason', sort: 'desc' }]);
    expect(requests).toEqual([[400, 600, { field: 'reason', direction: 'desc' }]]);
    expect(result.lastRow).toBe(12_345);

    requests.length = 0;
    await getRows(datasource, 0, 450);
    expect(requests.map(([start, end]) => end - start)).toEqual([200, 200, 50]);
    expect(requests.every(([start, end]) => end - start <= CACHE_BLOCK_SIZE)).toBe(true);
  });

  it('ignores sort models of unknown columns', () => {
    expect(sortFromModel([{ colId: 'nope', sort: 'asc' }])).toBeNull();
    expect(sortFromModel([])).toBeNull();
    expect(sortFromModel([{ colId: 'reason.value', sort: 'asc' }])).toEqual({
      field: 'reason.value',
      direction: 'asc',
    });
  });

  it('fails the block and reports the error when a page cannot be read', async () => {
    const errors: unknown[] = [];
    const datasource = createDropDatasource(() => Promise.reject(new Error('engine gone')), {
      onError: (error) => errors.push(error),
    });
    await expect(getRows(datasource, 0, 200)).rejects.toThrow('failed');
    expect(errors).toHaveLength(1);
  });
});

describe('rowsAsTsv', () => {
  it('writes a header and one line per row, relative times, tabs in values replaced', () => {
    const columns = DROP_COLUMNS.filter((column) =>
      ['time', 'comm', 'protocol', 'reason'].includes(column.id),
    );
    const text = rowsAsTsv([row(0), row(1)], columns, { mode: 'relative', firstNs: 1_000_000_000 });
    expect(text).toBe(
      'Time (+s)\tReason\tProtocol\tCommand\n' +
        '0.000000\tNO_SOCKET\tIPv4\tping here\n' +
        '0.000001\tNO_SOCKET\tIPv4\tping here\n',
    );
  });
});
