import type { AlertKind, Severity } from '../contract/domain.ts';

/** An alert the current state calls for; reconcileAlerts turns a list of them into changes. */
export interface DesiredAlert {
	kind: AlertKind;
	severity: Severity;
	/** One open alert per kind and subject: `sku|site`, `commitment:<id>`, `sku|site|inbound:<key>`, `sku:<sku>`. */
	subjectKey: string;
	sku: string;
	site: string | null;
	commitmentId: string | null;
	message: string;
}

export const pairSubject = (sku: string, site: string): string => `${sku}|${site}`;
export const commitmentSubject = (id: string): string => `commitment:${id}`;
export const inboundSubject = (sku: string, site: string, key: string): string => `${sku}|${site}|inbound:${key}`;
export const skuSubject = (sku: string): string => `sku:${sku}`;
