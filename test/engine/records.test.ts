// The record loop's promises, with a pipeline made for the test: a defect on one row never sinks the file.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FilePipeline } from '../../src/pipeline.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';

interface Line { line: number; text: string }

const fragile: FilePipeline<Line, string> = {
  kind: 'file', name: 'fragile', title: 'Test', schedule: 'hourly', resources: [], writes: [], dependsOn: [],
  async *parse(file) {
    const lines = (await fs.readFile(file, 'utf8')).split('\n').filter(Boolean);
    for (const [i, text] of lines.entries()) yield { line: i + 1, text };
  },
  transform(row) {
    if (row.text === 'boom') throw new TypeError("Cannot read properties of undefined (reading 'x')");
    return { line: row.line, key: row.text, record: row.text };
  },
  async load(rec) {
    if (rec.record === 'crash') throw new RangeError('load defect');
    return 'unchanged';
  },
};

describe('record loop', () => {
  let ws: Workspace;
  beforeEach(async () => { ws = await makeWorkspace(); });
  afterEach(async () => { await ws.close(); });

  it('rejects a row whose transform or load throws, with the message, and processes the others', async () => {
    await fs.mkdir(path.join(ws.drop, 'fragile'));
    await fs.writeFile(path.join(ws.drop, 'fragile', 'rows.txt'), 'a\nboom\nb\ncrash\nc\n');
    const summary = await (await ws.engine({ pipelines: [fragile] })).runOnce();
    const outcome = summary.files[0]!.outcome;
    expect(outcome.status).to.equal('partial');
    if (!('report' in outcome)) throw new Error('no report');
    expect(outcome.report.records).to.deep.equal({ read: 5, created: 0, updated: 0, unchanged: 3, rejected: 2 });
    expect(outcome.report.rejects).to.deep.equal([
      { line: 2, reason: "erreur interne : Cannot read properties of undefined (reading 'x')" },
      { line: 4, key: 'crash', reason: 'erreur interne : load defect' },
    ]);
  });
});
