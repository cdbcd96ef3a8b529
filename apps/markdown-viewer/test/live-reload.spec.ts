import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createViewerApp } from '../src/index.ts';
import { AtomicWriter, tempDir } from './atomic-writer.ts';
import { SAMPLE_BOOK } from './book-fixture.ts';
import { pino } from 'pino';

describe('live updates through a ConfigMap volume (kubelet atomic writer layout)', () => {
  it('shows edited, added and removed pages on the next request, without a restart', async () => {
    const dir = join(tempDir('mdviewer-live-'), 'src');
    const writer = new AtomicWriter(dir);
    writer.write(SAMPLE_BOOK);
    const app = createViewerApp({ bookDir: dir, logger: pino({ level: 'silent' }) });

    const first = await request(app).get('/intro.html');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Welcome to the');
    expect((await request(app).get('/readyz')).status).toBe(200);

    // Same size, same second: only the symlink swap tells the versions apart.
    writer.write({
      'intro.md': SAMPLE_BOOK['intro.md']!.replace('Welcome to the', 'Welkom in het '),
      'SUMMARY.md': '# Renamed Book\n\n- [Introduction](intro.md)\n- [Brand new](new.md)\n',
      'new.md': '# Brand new\n',
    });
    const edited = await request(app).get('/intro.html');
    expect(edited.text).toContain('Welkom in het');
    expect(edited.text).toContain('<title>Introduction - Renamed Book</title>');
    expect(edited.text).toContain('<a class="next" rel="next" href="new.html">');
    expect((await request(app).get('/new.html')).status).toBe(200);
    expect((await request(app).get('/setup.html')).status).toBe(404);

    writer.write({ 'intro.md': '# Only intro\n' });
    expect((await request(app).get('/readyz')).status).toBe(503);
    expect((await request(app).get('/')).status).toBe(503);
    expect((await request(app).get('/intro.html')).text).toContain('Only intro');

    writer.write(SAMPLE_BOOK);
    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await request(app).get('/')).headers['location']).toBe('intro.html');
  });
});
