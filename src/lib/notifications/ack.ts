/** `POST /api/alerts/:id/ack` from the app (same origin, session cookie). */
export async function acknowledgeAlert(id: string): Promise<{ ok: true } | { ok: false; status: number; error: string }> {
	try {
		const res = await fetch(`/api/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST' });
		if (res.ok) return { ok: true };
		const body = (await res.json().catch(() => ({}))) as { error?: string };
		return { ok: false, status: res.status, error: body.error ?? res.statusText };
	} catch {
		return { ok: false, status: 0, error: 'the server cannot be reached' };
	}
}
