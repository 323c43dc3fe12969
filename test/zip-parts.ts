import yauzl from 'yauzl';

/** Every entry's text by name, read by an independent reader. */
export async function parts(buffer: Buffer): Promise<Map<string, string>> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, z) => (error || !z ? reject(error) : resolve(z))),
  );
  const found = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    archive.on('end', resolve);
    archive.on('entry', (entry: yauzl.Entry) => {
      archive.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          found.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          archive.readEntry();
        });
      });
    });
    archive.readEntry();
  });
  return found;
}

