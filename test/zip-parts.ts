import yauzl from 'yauzl';

/** One entry of a zip as an independent reader (yauzl) finds it; yauzl checks sizes but not CRCs, so tests can. */
export interface Unzipped {
  name: string;
  data: Buffer;
  crc32: number;
  flags: number;
  modified: Date;
}

/** Every entry, in the archive's order, read by an independent reader: the one way the tests unzip a workbook. */
export async function unzip(buffer: Buffer): Promise<Unzipped[]> {
  const archive = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, strictFileNames: true }, (error, z) => (error || !z ? reject(error) : resolve(z))),
  );
  const entries: Unzipped[] = [];
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
          entries.push({
            name: entry.fileName,
            data: Buffer.concat(chunks),
            crc32: entry.crc32,
            flags: entry.generalPurposeBitFlag,
            modified: entry.getLastModDate({ timezone: 'UTC' }),
          });
          archive.readEntry();
        });
      });
    });
    archive.readEntry();
  });
  return entries;
}

/** Every entry's text by name. */
export async function parts(buffer: Buffer): Promise<Map<string, string>> {
  return new Map((await unzip(buffer)).map((entry) => [entry.name, entry.data.toString('utf8')]));
}
