// Replays every recorded transcript, in order, against one fresh sandbox holding the recording's
// pre-existing objects, and compares status, content type, error codes and body shape. There is no list of
// tolerated differences: every transcript must match.
import { expect } from 'chai';
import { startServer } from '../../src/sandbox/server.ts';
import { LATER_SESSIONS, recordingFixture } from './support/recording-fixture.ts';
import { describe as shapeOf, loadTranscripts, replay } from './support/transcripts.ts';

describe('sandbox: transcript replay', () => {
  it('answers every transcript like the recorded shop', async () => {
    // The recording ran at 2026-11-28 13:30 shop time; date filters in the transcripts use that window.
    const shop = await startServer({ clockStart: new Date('2026-11-28T12:30:02Z'), prepare: recordingFixture });
    const mismatches: Record<string, string> = {};
    try {
      for (const t of loadTranscripts()) {
        for (const [resource, next] of Object.entries(LATER_SESSIONS[t.num] ?? {})) shop.state.store.setNextId(resource, next);
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
    expect(Object.values(mismatches), 'transcripts the sandbox answers differently').to.deep.equal([]);
  });
});
