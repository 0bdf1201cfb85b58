export type { Principal } from '../../src/lib/policy/access.policy.ts';
export { principalLabel } from '../../src/lib/policy/access.policy.ts';
