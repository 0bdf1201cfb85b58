import type { IncomingMessage } from 'node:http';
import type { PbSocket } from './socket.server.ts';

/**
 * What a connected socket no longer needs once the handshake is done. Engine.IO keeps the upgrade's
 * `IncomingMessage` for the socket's whole life (`socket.conn.request`, with its stream states, raw
 * headers and parsed query), and Socket.IO's `handshake` keeps the header object, the query and the
 * `auth` payload (a display token in clear). A wall stays connected for days and a node holds
 * thousands of them: dropping these roughly halves a socket's heap (README: memory per connection).
 * Nothing after `connection` reads them: authorisation is done and lives in `socket.data.principal`.
 */
export function dropHandshakeState(socket: PbSocket): void {
	const conn = socket.conn as unknown as { request: (IncomingMessage & Record<string, unknown>) | undefined };
	// Engine.IO's upgrade shim (WebSocketResponse) stays referenced by a 'close' listener on the TCP
	// socket and holds the request too, so unlinking it here is not enough: empty what it carries.
	const req = conn.request;
	if (req) {
		req.headers = {};
		req.rawHeaders = [];
		// Assigned, not deleted: a deleted key turns the object into a (larger) dictionary.
		for (const k of ['_query', 'websocket', '_readableState']) if (k in req) req[k] = undefined;
	}
	conn.request = undefined;
	const h = socket.handshake;
	(socket as unknown as { handshake: PbSocket['handshake'] }).handshake = { time: h.time, issued: h.issued, address: h.address, xdomain: h.xdomain, secure: h.secure, url: '', headers: {}, query: {}, auth: {} };
}

const interned = new Map<string, string>();
/**
 * One string per room name across all sockets: the adapter keeps each socket's room names in a set
 * of its own, and names built per socket would be a copy each. Room names are bounded by topics ×
 * (sites + boards), so the table stays small.
 */
export function intern(name: string): string {
	let s = interned.get(name);
	if (s === undefined) interned.set(name, (s = name));
	return s;
}
