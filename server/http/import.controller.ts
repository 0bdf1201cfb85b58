import { Router, type Response } from 'express';
import { AppError } from '../services/errors.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';

/**
 * CSV import (`POST /api/import/:kind`, body text/csv, `?dryRun=1` to check only) and export
 * (`GET /api/export/:list` or `:list.csv`). The body is streamed into the parser, never buffered.
 */
export function importRoutes(s: Services): Router {
	const r = Router();
	r.post('/api/import/:kind', requireAction('import'), async (req, res) => {
		const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (type !== 'text/csv' && type !== 'text/plain') throw new AppError(415, 'send the file as text/csv');
		const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
		const report = await s.imports.run(req.principal!, String(req.params.kind), req, { dryRun });
		if (report.ok || dryRun) return void res.json(report);
		// The contract's error shape (ApiError) plus the whole report, for the preview.
		res.status(400).json({
			error: `${report.badRows} bad row${report.badRows === 1 ? '' : 's'} (${report.problemCount} problems); nothing was written`,
			errors: report.problems.map((p) => ({ index: p.row, path: p.field, message: p.message, line: p.line })),
			...report
		});
	});

	r.get('/api/export/:list', requireAction('positions:read'), async (req, res) => {
		const list = String(req.params.list).replace(/\.csv$/, '');
		const lines = s.exports.open(req.principal!, list);
		res.setHeader('content-type', 'text/csv; charset=utf-8');
		res.setHeader('content-disposition', `attachment; filename="${list}-${new Date().toISOString().slice(0, 10)}.csv"`);
		// The cursor holds a pooled connection: a client that disconnects or stops reading gives it back.
		let gone = false;
		const onClose = () => (gone = true);
		res.once('close', onClose);
		try {
			for await (const chunk of lines) {
				if (gone) break;
				if (!res.write(chunk) && !(await drained(res, EXPORT_STALL_MS))) {
					res.destroy();
					break;
				}
			}
		} finally {
			res.off('close', onClose);
		}
		// Leaving the loop early returns the generator, which closes the cursor and frees the connection.
		if (!gone && !res.destroyed) res.end();
	});
	return r;
}

/** A reader that takes no bytes for this long has stopped reading: the export is abandoned. */
const EXPORT_STALL_MS = 10_000;

/** True once the socket drains; false if it closes or stays full for `ms`. */
function drained(res: Response, ms: number): Promise<boolean> {
	return new Promise((resolve) => {
		const done = (ok: boolean) => {
			clearTimeout(timer);
			res.off('drain', onDrain);
			res.off('close', onClose);
			resolve(ok);
		};
		const onDrain = () => done(true);
		const onClose = () => done(false);
		const timer = setTimeout(() => done(false), ms);
		res.on('drain', onDrain);
		res.on('close', onClose);
	});
}
