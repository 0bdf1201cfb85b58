/** Errors a service throws to mean "the caller's fault"; the HTTP layer maps them to status codes. */
export class AppError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly details?: { index?: number; path: string; message: string }[]
	) {
		super(message);
		this.name = new.target.name;
	}
}

export class BadRequestError extends AppError {
	constructor(message: string, details?: { index?: number; path: string; message: string }[]) {
		super(400, message, details);
	}
}
export class UnauthorizedError extends AppError {
	constructor(message = 'authentication required') {
		super(401, message);
	}
}
export class ForbiddenError extends AppError {
	constructor(message = 'not allowed') {
		super(403, message);
	}
}
export class NotFoundError extends AppError {
	constructor(message = 'not found') {
		super(404, message);
	}
}
export class PayloadTooLargeError extends AppError {
	constructor(message: string) {
		super(413, message);
	}
}
export class TooManyRequestsError extends AppError {
	constructor(
		message: string,
		readonly retryAfterSeconds: number
	) {
		super(429, message);
	}
}
/** A dependency (Postgres, or a check that needs it) cannot answer now: 503 with Retry-After. */
export class DependencyUnavailableError extends AppError {
	constructor(message = 'Service temporarily unavailable. Try again in a few seconds.') {
		super(503, message);
	}
}
