/**
 * Runs one writeCertSet into a folder and prints the outcome as JSON. The
 * read-only-folder test runs it as an unprivileged user when the tests run as
 * root, because root ignores folder permissions.
 */
import { generateCertSet, writeCertSet, DEFAULT_OPTIONS } from '../../server/src/service/certgen';

async function main(): Promise<void> {
  const dir = process.argv[2];
  try {
    const files = await generateCertSet(DEFAULT_OPTIONS);
    const r = await writeCertSet(dir, files, { overwrite: false });
    process.stdout.write(JSON.stringify({ ok: true, written: r.written }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, name: (e as Error).name, message: (e as Error).message }) + '\n');
  }
}

void main();
