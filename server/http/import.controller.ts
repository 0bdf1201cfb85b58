import { Router } from 'express';
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
		for await (const chunk of lines) {
			if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
		}
		res.end();
	});
	return r;
}
