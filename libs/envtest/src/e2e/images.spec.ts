import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImage, ImageBuildError, shellQuote, templateCommand } from './images.ts';

const spec = { dockerfile: '/w s/Dockerfile', context: '/w s', tag: 'r/app:1', buildArgs: { APP: 'math' } };

describe('KUBELOOP_IMAGE_BUILD templates', () => {
  it('fills {dockerfile} {context} {tag}, shell-quoted, and appends the build args', () => {
    expect(templateCommand('image.sh /p {dockerfile} {context} {tag}', spec)).toBe(
      "image.sh /p '/w s/Dockerfile' '/w s' r/app:1 --build-arg APP=math",
    );
  });

  it('puts the build args where {buildArgs} says', () => {
    expect(
      templateCommand('docker build -f {dockerfile} {buildArgs} -t {tag} {context} && k3d image import {tag}', spec),
    ).toBe("docker build -f '/w s/Dockerfile' --build-arg APP=math -t r/app:1 '/w s' && k3d image import r/app:1");
  });

  it('quotes what the shell would split or expand', () => {
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(shellQuote('plain/path:1.0')).toBe('plain/path:1.0');
  });

  it('runs the template through sh with the values as separate words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'image-template-'));
    const script = join(dir, 'record.sh');
    writeFileSync(script, 'printf "%s\\n" "$@" > "$OUT"\n');
    const out = join(dir, 'args');
    const built = await buildImage(spec, {
      env: { ...process.env, OUT: out, KUBELOOP_IMAGE_BUILD: `sh ${script} {dockerfile} {context} {tag}` },
    });
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toEqual([
      '/w s/Dockerfile',
      '/w s',
      'r/app:1',
      '--build-arg',
      'APP=math',
    ]);
    expect(built.commands).toHaveLength(1);
  });

  it('a failing build is an ImageBuildError quoting its output', async () => {
    const err = await buildImage(spec, {
      env: { ...process.env, KUBELOOP_IMAGE_BUILD: 'echo no space left on device >&2; exit 3' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageBuildError);
    expect((err as Error).message).toMatch(/failed \(exit 3\):\nno space left on device/);
  });

  it('refuses a cluster it cannot deliver images to, before building anything', async () => {
    const env = { ...process.env };
    delete env.KUBELOOP_IMAGE_BUILD;
    delete env.MINIKUBE_ACTIVE_DOCKERD;
    await expect(buildImage(spec, { env, cluster: { context: 'prod-eu' } })).rejects.toThrow(
      /context "prod-eu" is not a kind cluster.*KUBELOOP_IMAGE_BUILD/s,
    );
  });
});
