// postgres.js 3.4.9 crashes the whole process when a connection closes while a small write is
// still scheduled (porsager/postgres#1154, #1208; fix proposed in #1176/#1209, not released), and its
// teardown leaves a stale write timer that makes a reconnected connection never flush again. A
// database crash triggers both: the fault suite saw a worker die of it. Until a release carries the
// fix, `npm ci` applies this guard (idempotent; a no-op once upstream code changes).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../node_modules/postgres/', import.meta.url));
const MARK = '/* promiseboard: guarded nextWrite */';
const WRITE = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const GUARDED = `  function nextWrite(fn) { ${MARK}
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`;
const TEARDOWN = /clearImmediate\(nextWriteTimer\)\n(\s+)(if \(socket\)|socket\.removeListener)/g;

let patched = 0;
for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'].map((f) => root + f)) {
	if (!existsSync(file)) continue;
	const text = readFileSync(file, 'utf8');
	if (text.includes(MARK) || !text.includes(WRITE)) continue;
	const next = text
		.replace(WRITE, GUARDED)
		.replace(TEARDOWN, (_, indent, rest) => `clearImmediate(nextWriteTimer)\n${indent}chunk = nextWriteTimer = null\n${indent}${rest}`);
	writeFileSync(file, next);
	patched++;
}
if (patched) console.log(`patch-postgres: guarded ${patched} copies of postgres.js connection.js`);
