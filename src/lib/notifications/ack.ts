import { api, ApiFailure } from '$lib/api-client';

/** `POST /api/alerts/:id/ack` from the app (same origin, session cookie). */
export async function acknowledgeAlert(id: string): Promise<{ ok: true } | { ok: false; status: number; error: string }> {
	try {
		await api('POST /api/alerts/:id/ack', { params: { id } });
		return { ok: true };
	} catch (err) {
		if (!(err instanceof ApiFailure)) throw err;
		return { ok: false, status: err.status, error: err.status === 0 ? 'the server cannot be reached' : err.message };
	}
}
