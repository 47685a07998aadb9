// Replays every recorded transcript, in order, against one fresh sandbox holding the recording's
// pre-existing objects, and compares status, content type, error codes and body shape.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startServer } from '../../src/sandbox/server.ts';
import { recordingFixture } from './support/recording-fixture.ts';
import { describe as shapeOf, loadTranscripts, replay, transcriptsDir } from './support/transcripts.ts';

const expectations = JSON.parse(readFileSync(path.join(transcriptsDir, '../replay-expectations.json'), 'utf8')) as { mismatches: Record<string, string> };

describe('sandbox: transcript replay', () => {
  it('answers every transcript like the recorded shop (except the listed exceptions)', async () => {
    // The recording ran at 2026-11-28 13:30 shop time; date filters in the transcripts use that window.
    const shop = await startServer({ clockStart: new Date('2026-11-28T12:30:02Z'), prepare: recordingFixture });
    const mismatches: Record<string, string> = {};
    try {
      for (const t of loadTranscripts()) {
        const got = await replay(t, shop.url, shop.key);
        const want = { status: t.response.status, contentType: t.response.contentType, ...shapeOf(t.response.contentType, t.response.body ?? '') };
        const diffs: string[] = [];
        if (got.status !== want.status) diffs.push(`status ${got.status} != ${want.status}`);
        if (got.contentType !== want.contentType) diffs.push(`content-type "${got.contentType}" != "${want.contentType}"`);
        if (got.codes.join(',') !== want.codes.join(',')) diffs.push(`codes [${got.codes.join(',')}] != [${want.codes.join(',')}]`);
        if (got.shape.join('\n') !== want.shape.join('\n')) {
          const missing = want.shape.filter((p) => !got.shape.includes(p));
          const extra = got.shape.filter((p) => !want.shape.includes(p));
          diffs.push(`shape differs (missing ${missing.slice(0, 5).join(' ')}; extra ${extra.slice(0, 5).join(' ')}${missing.length + extra.length === 0 ? '; order' : ''})`);
        }
        if (diffs.length) mismatches[t.num] = `${t.file}: ${diffs.join('; ')}`;
      }
    } finally {
      await shop.close();
    }
    const unexpected = Object.entries(mismatches).filter(([n]) => !(n in expectations.mismatches)).map(([, d]) => d);
    const nowMatching = Object.keys(expectations.mismatches).filter((n) => !(n in mismatches));
    expect(unexpected, 'transcripts that no longer match').to.deep.equal([]);
    expect(nowMatching, 'listed exceptions that match now: remove them from replay-expectations.json').to.deep.equal([]);
  });
});
